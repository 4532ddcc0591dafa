using System.Security.Cryptography;
using NSec.Cryptography;

namespace Filter.Engine.Dkim;

/// <summary>
/// A private key for <see cref="DkimSigner"/>: RSA (rsa-sha256, RFC 6376 §3.3.1) or Ed25519
/// (ed25519-sha256, RFC 8463 §3). Keys come from the operator's files, so a bad file throws
/// <see cref="ArgumentException"/> with what was wrong.
/// </summary>
public sealed class DkimSigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly Key? _ed25519;

    private DkimSigningKey(RSA? rsa, Key? ed25519)
    {
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>"rsa-sha256" or "ed25519-sha256": the a= value this key signs with.</summary>
    public string AlgorithmName => _rsa is null ? "ed25519-sha256" : "rsa-sha256";

    internal DkimAlgorithm Algorithm => _rsa is null ? DkimAlgorithm.Ed25519Sha256 : DkimAlgorithm.RsaSha256;

    /// <summary>RSA modulus size, or 256 for Ed25519.</summary>
    public int Bits => _rsa?.KeySize ?? 256;

    /// <summary>Reads a PEM private key: RSA (PKCS#1 "RSA PRIVATE KEY" or PKCS#8) or Ed25519 (PKCS#8).</summary>
    public static DkimSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new DkimSigningKey(rsa, null);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        if (Key.TryImport(SignatureAlgorithm.Ed25519, System.Text.Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPrivateKeyText, out var key))
        {
            return new DkimSigningKey(null, key);
        }

        throw new ArgumentException("The PEM text is neither an RSA private key nor an Ed25519 PKCS#8 private key.", nameof(pem));
    }

    /// <summary>An Ed25519 key from its 32-byte seed (the RFC 8032 private key).</summary>
    public static DkimSigningKey FromEd25519Seed(ReadOnlySpan<byte> seed) =>
        new(null, Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));

    /// <summary>Wraps an RSA key; the signer owns it from now on.</summary>
    public static DkimSigningKey FromRsa(RSA rsa) => new(rsa ?? throw new ArgumentNullException(nameof(rsa)), null);

    /// <summary>The p= value of the key record that publishes this key (RFC 6376 §3.6.1, RFC 8463 §4.2).</summary>
    public string PublicKeyBase64 => _rsa is not null
        ? Convert.ToBase64String(_rsa.ExportSubjectPublicKeyInfo())
        : Convert.ToBase64String(_ed25519!.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The TXT record text for this key.</summary>
    public string KeyRecord => $"v=DKIM1; k={(_rsa is null ? "ed25519" : "rsa")}; p={PublicKeyBase64}";

    /// <summary>Signs the SHA-256 header hash: PKCS#1 v1.5 for RSA, Ed25519 over the hash itself (RFC 8463 §3).</summary>
    internal byte[] SignHash(ReadOnlySpan<byte> headerHash) => _rsa is not null
        ? _rsa.SignHash(headerHash.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : SignatureAlgorithm.Ed25519.Sign(_ed25519!, headerHash);

    public void Dispose()
    {
        _rsa?.Dispose();
        _ed25519?.Dispose();
    }
}
