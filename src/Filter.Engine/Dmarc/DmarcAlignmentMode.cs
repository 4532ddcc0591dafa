namespace Filter.Engine.Dmarc;

/// <summary>Identifier Alignment mode, the <c>dmarc-rors</c> of RFC 9989 §4.8 (adkim, aspf).</summary>
public enum DmarcAlignmentMode
{
    /// <summary>Same Organizational Domain (RFC 9989 §3.2.10.1).</summary>
    Relaxed,

    /// <summary>Identical domains (RFC 9989 §3.2.10.2).</summary>
    Strict,
}
