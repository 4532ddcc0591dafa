namespace Filter.Engine.Dmarc;

/// <summary>
/// A DMARC Policy Record as read by <see cref="DmarcRecordParser"/>, with every tag at its effective
/// value after defaults (RFC 9989 §4.7; RFC 7489 §6.3 in <see cref="DmarcMode.Rfc7489"/>).
/// </summary>
/// <param name="Text">The TXT record as published (character-strings joined).</param>
/// <param name="Policy">p. When the record has no valid p (or a bad sp/np) but a valid rua, this is
/// <see cref="DmarcPolicy.None"/> (RFC 9989 §4.10.1, RFC 7489 §6.6.3 step 6.1).</param>
/// <param name="SubdomainPolicy">sp, defaulting to p.</param>
/// <param name="NonExistentPolicy">np, defaulting to sp then p (RFC 9989 only; equals sp in RFC 7489 mode).</param>
/// <param name="DkimAlignment">adkim, default relaxed.</param>
/// <param name="SpfAlignment">aspf, default relaxed.</param>
/// <param name="Psd">psd, default u (RFC 9989 only).</param>
/// <param name="TestMode">t=y (RFC 9989 only): apply the policy one level down (§4.7 t).</param>
/// <param name="Percent">pct, 0-100, default 100 (RFC 7489 §6.3 only; always 100 in RFC 9989 mode).</param>
/// <param name="AggregateReportUris">rua, as written (each URI trimmed).</param>
/// <param name="FailureReportUris">ruf, as written.</param>
/// <param name="FailureOptions">fo, default "0".</param>
/// <param name="Warnings">Tag syntax errors that were replaced by defaults or ignored (RFC 9989 §4.8), for logs.</param>
public sealed record DmarcRecord(
    string Text,
    DmarcPolicy Policy,
    DmarcPolicy SubdomainPolicy,
    DmarcPolicy NonExistentPolicy,
    DmarcAlignmentMode DkimAlignment,
    DmarcAlignmentMode SpfAlignment,
    DmarcPsd Psd,
    bool TestMode,
    int Percent,
    IReadOnlyList<string> AggregateReportUris,
    IReadOnlyList<string> FailureReportUris,
    string FailureOptions,
    IReadOnlyList<string> Warnings);
