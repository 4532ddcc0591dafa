namespace Filter.Host.Replay;

/// <summary>
/// What a corpus entry expects; every part is optional. Result words are compared without regard to case.
/// </summary>
/// <param name="Verdict">accept, quarantine, reject or tempfail.</param>
/// <param name="Spf">The SPF result word of the MAIL FROM check.</param>
/// <param name="Dkim">The DKIM result words, one per signature, top first (a message without signature has "none").</param>
/// <param name="Dmarc">The DMARC result word.</param>
internal sealed record CorpusExpectation(string? Verdict, string? Spf, IReadOnlyList<string>? Dkim, string? Dmarc);
