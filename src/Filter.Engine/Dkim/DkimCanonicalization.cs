namespace Filter.Engine.Dkim;

/// <summary>The c= canonicalization algorithms (RFC 6376 §3.4).</summary>
public enum DkimCanonicalization
{
    Simple,
    Relaxed,
}
