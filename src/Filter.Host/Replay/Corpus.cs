namespace Filter.Host.Replay;

/// <summary>
/// A replayable corpus (issue 6 item 4): a folder with <c>manifest.yaml</c> (envelopes and expected
/// results), the <c>.eml</c> messages it names, DNS as RFC 1035 zone files, and optionally the
/// <c>policy.yaml</c> the expectations were written for.
/// </summary>
/// <param name="Directory">The corpus folder.</param>
/// <param name="ZoneFiles">The zone files (full paths) that answer every DNS query of the replay.</param>
/// <param name="PolicyFile">The corpus's own policy file, or null.</param>
/// <param name="Entries">The messages in manifest order.</param>
internal sealed record Corpus(string Directory, IReadOnlyList<string> ZoneFiles, string? PolicyFile, IReadOnlyList<CorpusEntry> Entries)
{
    /// <summary>The manifest's file name inside the corpus folder.</summary>
    public const string ManifestName = "manifest.yaml";
}
