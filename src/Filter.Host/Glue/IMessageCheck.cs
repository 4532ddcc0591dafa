namespace Filter.Host.Glue;

/// <summary>
/// One message's authentication, fed in the order the milter delivers it (DESIGN.md "push, not
/// pull"). Created at MAIL FROM so that the SPF check starts at once; fed each recipient, each
/// header, end of headers and body chunks; completed once at end of message. Not thread-safe:
/// one milter session drives it. Dispose releases hashers and outstanding lookups when the message
/// is aborted.
/// This is the seam where the engine's <c>MessageAuthenticator</c> plugs in.
/// </summary>
internal interface IMessageCheck : IDisposable
{
    /// <summary>One RCPT TO address (without brackets).</summary>
    void OnRecipient(string recipient);

    /// <summary>One header: the name and the exact bytes after the colon (leading space kept, folds as in the message).</summary>
    void OnHeader(string name, ReadOnlySpan<byte> rawValue);

    /// <summary>End of the header section: signature key and DMARC lookups start here.</summary>
    void OnEndOfHeaders(CancellationToken cancellationToken);

    /// <summary>One body chunk, not aligned to lines.</summary>
    void OnBodyChunk(ReadOnlySpan<byte> chunk);

    /// <summary>End of message: every result, the verdict and the header edits.</summary>
    Task<MessageCheckOutcome> CompleteAsync(CancellationToken cancellationToken);
}
