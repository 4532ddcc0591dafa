using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// Signs messages with DKIM (RFC 6376 §5): rsa-sha256 or ed25519-sha256, simple or relaxed, chosen
/// header fields, optional over-signing and l=. Used by tests now and by ARC sealing later. The body
/// streams through the same canonicalizing hasher as verification.
/// </summary>
public sealed class DkimSigner
{
    private const int ChunkSize = 64 * 1024;
    private readonly DkimSignerOptions _options;

    public DkimSigner(DkimSignerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>
    /// Reads the message and returns the DKIM-Signature field to put on top of it:
    /// <c>"DKIM-Signature:" value</c> with folding, without the final CRLF.
    /// </summary>
    public async Task<string> SignAsync(Stream message, CancellationToken cancellationToken)
    {
        var sink = new Collector(_options.BodyCanonicalization);
        try
        {
            await RawMessageReader.ReadAsync(message, sink, ChunkSize, cancellationToken).ConfigureAwait(false);
            return Sign(sink.Fields, sink.Hasher);
        }
        finally
        {
            sink.Hasher.Dispose();
        }
    }

    /// <summary>Signs a message held in memory; see <see cref="SignAsync"/>.</summary>
    public string Sign(byte[] message)
    {
        using var stream = new MemoryStream(message, writable: false);
        // MemoryStream completes synchronously; nothing waits here.
        return SignAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
    }

    private string Sign(List<RawHeaderField> fields, DkimBodyHasher hasher)
    {
        var bodyHash = hasher.Finish();
        var value = new StringBuilder(512);
        value.Append(" v=1; a=").Append(_options.Key.AlgorithmName)
            .Append("; c=").Append(Name(_options.HeaderCanonicalization)).Append('/').Append(Name(_options.BodyCanonicalization))
            .Append("; d=").Append(_options.Domain)
            .Append("; s=").Append(_options.Selector).Append(';');
        if (_options.Identity is not null)
        {
            value.Append("\r\n\ti=").Append(_options.Identity).Append(';');
        }

        if (_options.Timestamp is { } timestamp)
        {
            value.Append("\r\n\tt=").Append(timestamp.ToUnixTimeSeconds()).Append(';');
        }

        if (_options.Expiration is { } expiration)
        {
            value.Append(" x=").Append(expiration.ToUnixTimeSeconds()).Append(';');
        }

        if (_options.IncludeBodyLength)
        {
            value.Append(" l=").Append(hasher.CanonicalLength).Append(';');
        }

        var signedHeaders = ChooseHeaders(fields);
        value.Append("\r\n\th=").Append(string.Join(':', signedHeaders)).Append(';');
        value.Append("\r\n\tbh=").Append(Convert.ToBase64String(bodyHash)).Append(';');
        value.Append("\r\n\tb=");

        var unsigned = value.ToString();
        var field = RawHeaderField.Create("DKIM-Signature", Encoding.Latin1.GetBytes(unsigned));
        var output = new ArrayBufferWriter<byte>(1024);
        DkimHeaderSelection.AppendSignedFields(output, fields, signedHeaders, _options.HeaderCanonicalization);
        DkimHeaderSelection.AppendSignatureField(output, field, unsigned.Length, unsigned.Length, _options.HeaderCanonicalization);
        var b = _options.Key.SignHash(SHA256.HashData(output.WrittenSpan));
        return "DKIM-Signature:" + unsigned + Convert.ToBase64String(b);
    }

    private string[] ChooseHeaders(List<RawHeaderField> fields)
    {
        var names = new List<string>();
        var wanted = new List<string>(_options.SignedHeaders);
        if (!wanted.Exists(static n => string.Equals(n, "From", StringComparison.OrdinalIgnoreCase)))
        {
            wanted.Insert(0, "From");
        }

        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in wanted)
        {
            if (!done.Add(name))
            {
                continue;
            }

            var count = 0;
            foreach (var field in fields)
            {
                if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    count++;
                }
            }

            if (_options.OverSign)
            {
                count++;
            }

            for (var i = 0; i < count; i++)
            {
                names.Add(name);
            }
        }

        return [.. names];
    }

    private static string Name(DkimCanonicalization canonicalization) =>
        canonicalization == DkimCanonicalization.Relaxed ? "relaxed" : "simple";

    private sealed class Collector(DkimCanonicalization bodyCanonicalization) : IRawMessageSink
    {
        public List<RawHeaderField> Fields { get; } = [];

        public DkimBodyHasher Hasher { get; } = new(bodyCanonicalization, HashAlgorithmName.SHA256, null);

        public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue) => Fields.Add(RawHeaderField.Create(rawName, rawValue));

        public void OnEndOfHeaders(CancellationToken cancellationToken)
        {
        }

        public void OnBodyChunk(ReadOnlySpan<byte> chunk) => Hasher.Append(chunk);
    }
}
