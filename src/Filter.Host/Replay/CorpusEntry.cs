using Filter.Engine.Pipeline;

namespace Filter.Host.Replay;

/// <summary>One message of a corpus: its file, its envelope and what is expected of it.</summary>
/// <param name="Name">The message file relative to the corpus folder, as the manifest names it.</param>
/// <param name="Path">The message file's full path.</param>
/// <param name="Envelope">The SMTP envelope to feed before the message.</param>
/// <param name="Expect">The expectations, or null when the entry only records what happens.</param>
/// <param name="Description">The manifest's note on what the entry covers, or null.</param>
/// <param name="ZoneFiles">
/// The entry's own zone files (full paths), or null to use the corpus's shared zones. A recorded entry
/// has its own: the DNS that one message saw, which may contradict what another recorded message saw.
/// </param>
/// <param name="PolicyFile">The entry's own policy file (full path), or null for the corpus's; <c>--policy</c> overrides both.</param>
internal sealed record CorpusEntry(
    string Name,
    string Path,
    MessageEnvelope Envelope,
    CorpusExpectation? Expect,
    string? Description,
    IReadOnlyList<string>? ZoneFiles = null,
    string? PolicyFile = null);
