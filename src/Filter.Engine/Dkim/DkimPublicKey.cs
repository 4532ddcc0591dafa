using System.Security.Cryptography;
using NSec.Cryptography;

namespace Filter.Engine.Dkim;

/// <summary>
/// A usable public key from a key record: RSA (SubjectPublicKeyInfo, or a bare PKCS#1
/// RSAPublicKey as some publishers use) or Ed25519 (the 32 raw bytes, RFC 8463 §4.2).
/// </summary>
/// <remarks>Immutable after import and used from several sessions at once (<see cref="DkimKeyCache"/>):
/// verification creates its own OpenSSL context per call, so concurrent use is safe.</remarks>
internal sealed class DkimPublicKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly PublicKey? _ed25519;

    private DkimPublicKey(RSA? rsa, PublicKey? ed25519, int bits)
    {
        _rsa = rsa;
        _ed25519 = ed25519;
        Bits = bits;
    }

    public int Bits { get; }

    public DkimKeyType KeyType => _rsa is null ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;

    /// <summary>Imports p=; a reason instead of a key when the bytes are not a public key of that type.</summary>
    public static bool TryCreate(DkimKeyType type, byte[] keyBytes, out DkimPublicKey? key, out string? error)
    {
        key = null;
        if (type == DkimKeyType.Ed25519)
        {
            if (keyBytes.Length != 32
                || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, keyBytes, KeyBlobFormat.RawPublicKey, out var publicKey))
            {
                error = $"key is not a 32-byte Ed25519 public key ({keyBytes.Length} bytes)";
                return false;
            }

            key = new DkimPublicKey(null, publicKey, 256);
            error = null;
            return true;
        }

        var rsa = RSA.Create();
        if (TryImport(rsa, keyBytes, spki: true) || TryImport(rsa, keyBytes, spki: false))
        {
            key = new DkimPublicKey(rsa, null, rsa.KeySize);
            error = null;
            return true;
        }

        rsa.Dispose();
        error = "key is not an RSA public key";
        return false;
    }

    private static bool TryImport(RSA rsa, byte[] keyBytes, bool spki)
    {
        try
        {
            int read;
            if (spki)
            {
                rsa.ImportSubjectPublicKeyInfo(keyBytes, out read);
            }
            else
            {
                rsa.ImportRSAPublicKey(keyBytes, out read);
            }

            // Trailing bytes mean this was not (only) a public key, e.g. a private key blob.
            return read == keyBytes.Length;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Checks b= over the header hash (RSA PKCS#1 v1.5; Ed25519 signs the SHA-256 hash itself, RFC 8463 §3).</summary>
    public bool Verify(ReadOnlySpan<byte> headerHash, ReadOnlySpan<byte> signature, DkimAlgorithm algorithm)
    {
        if (_rsa is not null)
        {
            var name = algorithm == DkimAlgorithm.RsaSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            try
            {
                return _rsa.VerifyHash(headerHash, signature, name, RSASignaturePadding.Pkcs1);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        return SignatureAlgorithm.Ed25519.Verify(_ed25519!, headerHash, signature);
    }

    public void Dispose() => _rsa?.Dispose();
}
