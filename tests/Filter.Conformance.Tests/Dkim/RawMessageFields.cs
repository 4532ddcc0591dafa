using Filter.Engine.Message;

namespace Filter.Conformance.Tests.Dkim;

/// <summary>Reads a stored message's header fields the way the engine receives them (exact bytes kept).</summary>
internal static class RawMessageFields
{
    public static IReadOnlyList<RawHeaderField> Read(byte[] message)
    {
        var sink = new FieldCollector();
        using var stream = new MemoryStream(message, writable: false);
        RawMessageReader.ReadAsync(stream, sink, 4096, CancellationToken.None).GetAwaiter().GetResult();
        return sink.Fields;
    }

    private sealed class FieldCollector : IRawMessageSink
    {
        public List<RawHeaderField> Fields { get; } = [];

        public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue) => Fields.Add(RawHeaderField.Create(rawName, rawValue));

        public void OnEndOfHeaders(CancellationToken cancellationToken)
        {
        }

        public void OnBodyChunk(ReadOnlySpan<byte> chunk)
        {
        }
    }
}
