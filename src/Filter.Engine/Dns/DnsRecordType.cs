namespace Filter.Engine.Dns;

/// <summary>The record types the engine reads (RFC 1035 §3.2.2, RFC 3596 for AAAA).</summary>
public enum DnsRecordType
{
    A = 1,
    Cname = 5,
    Ptr = 12,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
}
