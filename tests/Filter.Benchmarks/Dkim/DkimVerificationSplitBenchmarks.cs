using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Message;

namespace Filter.Benchmarks.Dkim;

/// <summary>
/// Where a whole verification's time goes (<see cref="DkimVerificationBenchmarks"/>), piece by piece on
/// the same message: raw SHA-256 over the body, the canonicalizing body hashers, parsing the signature
/// field, the header hash, and the signature check with the cached key. The sum of the pieces against
/// Verify shows the session's own overhead (DNS from zone data, results, bookkeeping).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DkimVerificationSplitBenchmarks
{
    private const int ChunkSize = 64 * 1024;

    private DkimBenchmarkMessage _message = null!;
    private DkimBenchmarkMessage _realistic = null!;
    private List<RawHeaderField> _fields = null!;
    private RawHeaderField _signatureField = null!;
    private DkimSignature _signature = null!;
    private DkimPublicKey _key = null!;
    private byte[] _headerHash = null!;

    [Params(4 * 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [Params("rsa-2048", "ed25519")]
    public string Algorithm { get; set; } = "rsa-2048";

    [GlobalSetup]
    public void Setup()
    {
        using var key = Algorithm == "rsa-2048"
            ? DkimSigningKey.FromRsa(RSA.Create(2048))
            : DkimSigningKey.FromEd25519Seed(SHA256.HashData("benchmark"u8));
        _message = DkimBenchmarkMessage.Create(key, Size);
        _realistic = DkimBenchmarkMessage.Create(key, Size, DkimBenchmarkMessage.MakeRealisticBody);
        _fields = [.. _message.Fields.Select(f => RawHeaderField.Create(f.Name, f.Value))];
        _signatureField = _fields[0];
        _signature = DkimSignatureParser.Parse(_signatureField.Value).Signature!;
        if (!DkimKeyRecordParser.TryParse(key.KeyRecord, out var record, out _)
            || !DkimPublicKey.TryCreate(record!.KeyType, record.PublicKey, out var publicKey, out _))
        {
            throw new InvalidOperationException("The benchmark key does not parse.");
        }

        _key = publicKey!;
        _headerHash = HeaderHash();
        if (!Crypto() || !BodyRelaxed().AsSpan().SequenceEqual(_signature.BodyHash))
        {
            throw new InvalidOperationException("The benchmark pieces do not verify.");
        }
    }

    /// <summary>The raw floor's hashing part: SHA-256 over the body bytes as they are.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sha256Body() => SHA256.HashData(_message.Body);

    /// <summary>Relaxed body canonicalization and hash (the benchmark's worst-case body), 64 KiB chunks.</summary>
    [Benchmark]
    public byte[] BodyRelaxed() => HashBody(_message.Body, DkimCanonicalization.Relaxed);

    /// <summary>Simple body canonicalization and hash of the same body.</summary>
    [Benchmark]
    public byte[] BodySimple() => HashBody(_message.Body, DkimCanonicalization.Simple);

    /// <summary>Relaxed, over a realistic body (plain text and base64 lines, no runs to reduce).</summary>
    [Benchmark]
    public byte[] BodyRelaxedRealistic() => HashBody(_realistic.Body, DkimCanonicalization.Relaxed);

    /// <summary>Parsing the DKIM-Signature field from its bytes (tag-list, base64 of b= and bh=).</summary>
    [Benchmark]
    public object ParseSignature() => DkimSignatureParser.Parse(_signatureField.Value);

    /// <summary>Selecting and canonicalizing the signed header fields, and hashing them (§3.7).</summary>
    [Benchmark]
    public byte[] HeaderHash()
    {
        var output = new ArrayBufferWriter<byte>(1024);
        DkimHeaderSelection.AppendSignedFields(output, _fields, _signature.SignedHeaders, _signature.HeaderCanonicalization);
        DkimHeaderSelection.AppendSignatureField(output, _signatureField, _signature.SignatureValueStart, _signature.SignatureValueEnd, _signature.HeaderCanonicalization);
        return SHA256.HashData(output.WrittenSpan);
    }

    /// <summary>The signature check alone, with the key already imported (the key cache's state).</summary>
    [Benchmark]
    public bool Crypto() => _key.Verify(_headerHash, _signature.SignatureBytes, _signature.Algorithm);

    private static byte[] HashBody(byte[] body, DkimCanonicalization canonicalization)
    {
        using var hasher = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        var span = body.AsSpan();
        for (var offset = 0; offset < span.Length; offset += ChunkSize)
        {
            hasher.Append(span.Slice(offset, Math.Min(ChunkSize, span.Length - offset)));
        }

        return hasher.Finish();
    }
}
