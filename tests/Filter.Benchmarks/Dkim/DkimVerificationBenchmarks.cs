using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using NSec.Cryptography;

namespace Filter.Benchmarks.Dkim;

/// <summary>
/// A whole DKIM verification (headers, end of headers with key lookup from zone data, body in 64 KiB
/// chunks, completion) against the raw floor measured in the same run: SHA-256 over the same message
/// bytes plus one signature verification with the same algorithm. Goal: Verify within 1.3x of Floor.
/// Two bodies: "worst-case" (double spaces and trailing blanks on every line, the most rewriting relaxed
/// canonicalization can meet in ordinary text) and "realistic" (a MIME body of plain-text and base64 lines).
/// Min and Median are shown because the shared machine is noisy; the ratio of Verify to Floor on the same
/// run is the figure, and MinRatio (fastest Verify over fastest Floor) the steadier one when other work
/// disturbs the means.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[MinRatioColumn]
public class DkimVerificationBenchmarks
{
    private const int ChunkSize = 64 * 1024;

    private DkimBenchmarkMessage _message = null!;
    private DkimVerifier _verifier = null!;
    private RSA _rsa = null!;
    private byte[] _rsaSignature = null!;
    private NSec.Cryptography.PublicKey _edPublicKey = null!;
    private byte[] _edSignature = null!;
    private byte[] _hash = null!;

    [Params(4 * 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [Params("rsa-2048", "ed25519")]
    public string Algorithm { get; set; } = "rsa-2048";

    [Params("worst-case", "realistic")]
    public string Body { get; set; } = "worst-case";

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        var rsaCopy = RSA.Create();
        rsaCopy.ImportParameters(_rsa.ExportParameters(true));
        using var edKey = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);
        using var key = Algorithm == "rsa-2048"
            ? DkimSigningKey.FromRsa(rsaCopy)
            : DkimSigningKey.FromEd25519Seed(SHA256.HashData("benchmark"u8));
        _message = Body == "realistic"
            ? DkimBenchmarkMessage.Create(key, Size, DkimBenchmarkMessage.MakeRealisticBody)
            : DkimBenchmarkMessage.Create(key, Size);
        _verifier = new DkimVerifier(new ZoneResolver(_message.Zone));
        _hash = SHA256.HashData(_message.Whole);
        _rsaSignature = _rsa.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _edPublicKey = edKey.PublicKey;
        _edSignature = SignatureAlgorithm.Ed25519.Sign(edKey, _hash);
        if (Verify() != DkimResultCode.Pass)
        {
            throw new InvalidOperationException("The benchmark message does not verify.");
        }
    }

    /// <summary>The raw cost: SHA-256 over the message, and one signature check.</summary>
    [Benchmark(Baseline = true)]
    public bool Floor()
    {
        var hash = SHA256.HashData(_message.Whole);
        return Algorithm == "rsa-2048"
            ? _rsa.VerifyHash(hash, _rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : SignatureAlgorithm.Ed25519.Verify(_edPublicKey, hash, _edSignature);
    }

    [Benchmark]
    public DkimResultCode Verify()
    {
        using var session = _verifier.StartSession();
        foreach (var (name, value) in _message.Fields)
        {
            session.OnHeader(name, value);
        }

        session.OnEndOfHeaders(CancellationToken.None);
        var body = _message.Body.AsSpan();
        for (var offset = 0; offset < body.Length; offset += ChunkSize)
        {
            session.OnBodyChunk(body.Slice(offset, Math.Min(ChunkSize, body.Length - offset)));
        }

        // Zone data answers synchronously, so this completes without waiting.
        return session.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult()[0].Code;
    }
}
