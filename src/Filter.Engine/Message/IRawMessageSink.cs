namespace Filter.Engine.Message;

/// <summary>
/// Receives a message in the order the milter delivers it: header fields, end of headers, body chunks.
/// <see cref="RawMessageReader"/> feeds a sink from a file or stream in the same way.
/// </summary>
internal interface IRawMessageSink
{
    /// <summary>One field: the name before the colon and the exact bytes after it (folding kept).</summary>
    void OnHeader(string rawName, ReadOnlySpan<byte> rawValue);

    void OnEndOfHeaders(CancellationToken cancellationToken);

    void OnBodyChunk(ReadOnlySpan<byte> chunk);
}
