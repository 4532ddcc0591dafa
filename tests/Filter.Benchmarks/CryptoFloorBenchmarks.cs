using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Filter.Benchmarks;

/// <summary>
/// The cryptographic floor of one DKIM-signed message, with nothing of ours in it: SHA-256 over a
/// 4 KiB body and over the signed header block, and one RSA-2048 PKCS#1 v1.5 verify, with the public
/// key already imported and with the key imported from its SubjectPublicKeyInfo bytes first (what a
/// verifier pays per message when it does not keep imported keys). Ed25519 is measured in the DKIM
/// benchmarks. The daemon's goal is 0.1 ms per message; this says how much of it the mathematics takes.
/// Run: dotnet run -c Release --project tests/Filter.Benchmarks -- --filter '*CryptoFloor*'
/// </summary>
[MemoryDiagnoser]
public class CryptoFloorBenchmarks
{
    private readonly byte[] _body = new byte[4096];
    private readonly byte[] _headers = new byte[600];
    private RSA _key = null!;
    private byte[] _publicKey = null!;
    private byte[] _hash = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_body);
        new Random(8).NextBytes(_headers);
        using RSA signer = RSA.Create(2048);
        _publicKey = signer.ExportSubjectPublicKeyInfo();
        _hash = SHA256.HashData(_headers);
        _signature = signer.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _key = RSA.Create();
        _key.ImportSubjectPublicKeyInfo(_publicKey, out _);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    /// <summary>SHA-256 of a 4 KiB body plus the header block.</summary>
    [Benchmark]
    public byte[] Sha256BodyAndHeaders()
    {
        SHA256.HashData(_body);
        return SHA256.HashData(_headers);
    }

    /// <summary>One RSA-2048 verify with the key already imported.</summary>
    [Benchmark(Baseline = true)]
    public bool RsaVerifyImportedKey() => _key.VerifyHash(_hash, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Import the key from its DER bytes, then verify: the per-message cost without a key cache.</summary>
    [Benchmark]
    public bool RsaImportAndVerify()
    {
        using RSA key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(_publicKey, out _);
        return key.VerifyHash(_hash, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
