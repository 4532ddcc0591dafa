namespace Filter.Engine.Dmarc;

/// <summary>A Domain Owner Assessment Policy value: the <c>dmarc-request</c> of RFC 9989 §4.8 (p, sp, np).</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}
