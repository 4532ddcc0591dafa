namespace Filter.Engine.Policy;

/// <summary>SPF handling beyond what DMARC does with the result.</summary>
public sealed record SpfSettings
{
    /// <summary>What an SPF fail does on its own. Default: <see cref="SpfFailAction.None"/>, never reject on SPF alone.</summary>
    public SpfFailAction OnFail { get; init; } = SpfFailAction.None;

    /// <summary>
    /// Also check the HELO identity (RFC 7208 §2.3) and record it as <c>spf=… smtp.helo=</c> next to the MAIL FROM
    /// result. Default false: DMARC uses only the MAIL FROM identity (RFC 9989 §4.4.2) and no verdict reads the
    /// HELO result, so the check costs DNS queries for an Authentication-Results entry only. A null sender is
    /// checked as postmaster@HELO in any case (RFC 7208 §2.4), since that is its MAIL FROM identity.
    /// </summary>
    public bool CheckHelo { get; init; }
}
