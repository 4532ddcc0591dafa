using System.Text;
using Filter.Engine.Message;

namespace Filter.Engine.Tests.Message;

/// <summary>
/// The stored-message reader splits fields and body the same way whatever the chunk size (the pooled
/// buffers must not change what the sink sees): folded fields, bare LF, no body, a long header section.
/// </summary>
public sealed class RawMessageReaderTests
{
    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 4096, 64 * 1024];

    [TestCaseSource(nameof(ChunkSizes))]
    public async Task CrlfMessageWithFoldedField(int chunkSize)
    {
        const string Message = "From: a@example.com\r\nSubject: one\r\n two\r\nX-Empty:\r\n\r\nbody line\r\n\r\nlast\r\n";
        var sink = await ReadAsync(Message, chunkSize);
        Assert.Multiple(() =>
        {
            Assert.That(sink.Fields, Is.EqualTo(new[] { "From| a@example.com", "Subject| one\r\n two", "X-Empty|" }));
            Assert.That(sink.EndOfHeaders, Is.EqualTo(1));
            Assert.That(sink.Body.ToString(), Is.EqualTo("body line\r\n\r\nlast\r\n"));
        });
    }

    [TestCaseSource(nameof(ChunkSizes))]
    public async Task BareLfMessage(int chunkSize)
    {
        const string Message = "From: a@example.com\nTo: b@example.net\n\tc@example.net\n\nbody\n";
        var sink = await ReadAsync(Message, chunkSize);
        Assert.Multiple(() =>
        {
            Assert.That(sink.Fields, Is.EqualTo(new[] { "From| a@example.com", "To| b@example.net\n\tc@example.net" }));
            Assert.That(sink.Body.ToString(), Is.EqualTo("body\n"));
        });
    }

    [TestCaseSource(nameof(ChunkSizes))]
    public async Task NoEmptyLineMeansNoBody(int chunkSize)
    {
        var sink = await ReadAsync("From: a@example.com\r\nSubject: s", chunkSize);
        Assert.Multiple(() =>
        {
            Assert.That(sink.Fields, Is.EqualTo(new[] { "From| a@example.com", "Subject| s" }));
            Assert.That(sink.EndOfHeaders, Is.EqualTo(1));
            Assert.That(sink.Body.Length, Is.Zero);
        });
    }

    [TestCaseSource(nameof(ChunkSizes))]
    public async Task HeaderSectionLongerThanTheFirstBuffer(int chunkSize)
    {
        // 200 fields of 60 bytes: the header buffer (4 KiB at first) has to grow.
        var builder = new StringBuilder();
        var expected = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var value = $" value {i:D3} " + new string('x', 40);
            builder.Append("X-Field-").Append(i.ToString("D3")).Append(':').Append(value).Append("\r\n");
            expected.Add($"X-Field-{i:D3}|{value}");
        }

        builder.Append("\r\nbody\r\n");
        var sink = await ReadAsync(builder.ToString(), chunkSize);
        Assert.Multiple(() =>
        {
            Assert.That(sink.Fields, Is.EqualTo(expected));
            Assert.That(sink.Body.ToString(), Is.EqualTo("body\r\n"));
        });
    }

    [Test]
    public async Task ChunksNeverExceedTheChunkSize()
    {
        var sink = await ReadAsync("From: a@example.com\r\n\r\n" + new string('b', 1000), 100);
        Assert.Multiple(() =>
        {
            Assert.That(sink.LargestChunk, Is.LessThanOrEqualTo(100));
            Assert.That(sink.Body.Length, Is.EqualTo(1000));
        });
    }

    private static async Task<RecordingSink> ReadAsync(string message, int chunkSize)
    {
        var sink = new RecordingSink();
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(message), writable: false);
        await RawMessageReader.ReadAsync(stream, sink, chunkSize, CancellationToken.None);
        return sink;
    }

    private sealed class RecordingSink : IRawMessageSink
    {
        public List<string> Fields { get; } = [];

        public int EndOfHeaders { get; private set; }

        public StringBuilder Body { get; } = new();

        public int LargestChunk { get; private set; }

        public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue) =>
            Fields.Add(rawName + "|" + Encoding.Latin1.GetString(rawValue));

        public void OnEndOfHeaders(CancellationToken cancellationToken) => EndOfHeaders++;

        public void OnBodyChunk(ReadOnlySpan<byte> chunk)
        {
            LargestChunk = Math.Max(LargestChunk, chunk.Length);
            Body.Append(Encoding.Latin1.GetString(chunk));
        }
    }
}
