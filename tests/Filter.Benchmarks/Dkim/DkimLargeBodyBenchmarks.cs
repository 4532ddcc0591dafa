using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Benchmarks.Dkim;

/// <summary>
/// Memory stays flat whatever the body size: a signed message whose body is 1, 10 or 50 MB is fed in
/// 64 KiB chunks; the Allocated column must not grow with the body (issue 4, "Memory").
/// </summary>
[MemoryDiagnoser]
public class DkimLargeBodyBenchmarks
{
    private const int ChunkSize = 64 * 1024;

    private readonly byte[] _chunk = DkimBenchmarkMessage.MakeBody(ChunkSize);
    private (string Name, byte[] Value)[] _fields = null!;
    private DkimVerifier _verifier = null!;

    [Params(1, 10, 50)]
    public int BodyMegabytes { get; set; }

    private int Chunks => BodyMegabytes * 1_000_000 / ChunkSize;

    [GlobalSetup]
    public void Setup()
    {
        using var key = DkimSigningKey.FromEd25519Seed(SHA256.HashData("large body"u8));
        const string headers = "From: a@example.com\r\nTo: b@example.net\r\nSubject: large\r\n\r\n";
        using var stream = new RepeatingMessageStream(Encoding.ASCII.GetBytes(headers), _chunk, Chunks);
        var field = new DkimSigner(new DkimSignerOptions { Domain = "example.com", Selector = "big", Key = key })
            .SignAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        var all = (field + "\r\n" + headers).Replace("\r\n\t", "\u0001", StringComparison.Ordinal).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        _fields = all.Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return (line[..colon], Encoding.Latin1.GetBytes(line[(colon + 1)..].Replace("\u0001", "\r\n\t", StringComparison.Ordinal)));
        }).ToArray();
        var zone = new DnsZone();
        zone.AddTxt("big._domainkey.example.com", key.KeyRecord);
        _verifier = new DkimVerifier(new ZoneResolver(zone));
        if (Verify() != DkimResultCode.Pass)
        {
            throw new InvalidOperationException("The large message does not verify.");
        }
    }

    [Benchmark]
    public DkimResultCode Verify()
    {
        using var session = _verifier.StartSession();
        foreach (var (name, value) in _fields)
        {
            session.OnHeader(name, value);
        }

        session.OnEndOfHeaders(CancellationToken.None);
        for (var i = 0; i < Chunks; i++)
        {
            session.OnBodyChunk(_chunk);
        }

        return session.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult()[0].Code;
    }

    /// <summary>Headers, then the same chunk N times: a large message without holding it in memory.</summary>
    private sealed class RepeatingMessageStream(byte[] head, byte[] chunk, int count) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => head.Length + ((long)chunk.Length * count);

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count1)
        {
            if (_position >= Length)
            {
                return 0;
            }

            int copied;
            if (_position < head.Length)
            {
                copied = Math.Min(count1, head.Length - (int)_position);
                Array.Copy(head, (int)_position, buffer, offset, copied);
            }
            else
            {
                var within = (int)((_position - head.Length) % chunk.Length);
                copied = Math.Min(count1, chunk.Length - within);
                Array.Copy(chunk, within, buffer, offset, copied);
            }

            _position += copied;
            return copied;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();
    }
}
