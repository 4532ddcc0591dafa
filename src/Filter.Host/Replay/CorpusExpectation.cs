namespace Filter.Host.Replay;

/// <summary>
/// What a corpus entry expects; every part is optional. Result words are compared without regard to case;
/// the verdict reason and the Authentication-Results value exactly (a recorded entry carries both, so its
/// replay proves the same results with the same reasons).
/// </summary>
/// <param name="Verdict">accept, quarantine, reject or tempfail.</param>
/// <param name="Spf">The SPF result word of the MAIL FROM check.</param>
/// <param name="Dkim">The DKIM result words, one per signature, top first (a message without signature has "none").</param>
/// <param name="Dmarc">The DMARC result word.</param>
/// <param name="Reason">The verdict's reason, exactly.</param>
/// <param name="AuthenticationResults">The value of the Authentication-Results header we insert, exactly (each method's result and reason).</param>
internal sealed record CorpusExpectation(
    string? Verdict,
    string? Spf,
    IReadOnlyList<string>? Dkim,
    string? Dmarc,
    string? Reason = null,
    string? AuthenticationResults = null);
