using System.Buffers;
using System.Security.Cryptography;
using Filter.Engine.Dkim;
using Filter.Engine.Message;

namespace Filter.Conformance.Tests.Dkim;

/// <summary>
/// Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic, so re-signing a published example with its
/// published key must give the published b= byte for byte. That proves header selection and both
/// header canonicalizations without any DNS (Data/dkim/README.md, "Signing checks that need no DNS").
/// </summary>
[TestFixture]
public sealed class DkimDeterministicSigningTests
{
    private static string DataPath(string relative) => Path.Combine(AppContext.BaseDirectory, "Data", "dkim", relative);

    [TestCase("rfc8463/signed.eml", "rfc6376/a1-unsigned.eml", 0, "seed:rfc8463/brisbane.ed25519-seed.b64", TestName = "RFC 8463 A.3 ed25519-sha256 (seed)")]
    [TestCase("rfc8463/signed.eml", "rfc6376/a1-unsigned.eml", 0, "pem:rfc8463/brisbane.ed25519-private.pem", TestName = "RFC 8463 A.3 ed25519-sha256 (PKCS#8 PEM)")]
    [TestCase("rfc8463/signed.eml", "rfc6376/a1-unsigned.eml", 1, "pem:rfc8463/test.rsa-private.pem", TestName = "RFC 8463 A.3 rsa-sha256")]
    [TestCase("rfc6376/a2-verifying.eml", "rfc6376/a2-verifying.eml", 0, "pem:rfc6376/brisbane.rsa-private.pem", TestName = "RFC 6376 A.2 rsa-sha256 simple/simple")]
    public void ResigningReproducesThePublishedSignature(string signedMessage, string unsignedMessage, int signatureIndex, string key)
    {
        var signedFields = RawMessageFields.Read(File.ReadAllBytes(DataPath(signedMessage)));
        var signatureFields = signedFields.Where(f => string.Equals(f.Name, "DKIM-Signature", StringComparison.OrdinalIgnoreCase)).ToList();
        var field = signatureFields[signatureIndex];
        var signature = DkimSignatureParser.Parse(field.ValueAsLatin1()).Signature;
        Assert.That(signature, Is.Not.Null);

        // The unsigned message's own fields (the signed one only adds DKIM-Signature fields on top).
        var messageFields = RawMessageFields.Read(File.ReadAllBytes(DataPath(unsignedMessage)))
            .Where(f => !string.Equals(f.Name, "DKIM-Signature", StringComparison.OrdinalIgnoreCase)).ToList();
        var output = new ArrayBufferWriter<byte>();
        DkimHeaderSelection.AppendSignedFields(output, messageFields, signature!.SignedHeaders, signature.HeaderCanonicalization);
        DkimHeaderSelection.AppendSignatureField(output, field, signature.SignatureValueStart, signature.SignatureValueEnd, signature.HeaderCanonicalization);

        using var signingKey = LoadKey(key);
        var b = signingKey.SignHash(SHA256.HashData(output.WrittenSpan));
        Assert.That(Convert.ToBase64String(b), Is.EqualTo(signature.SignatureBase64));
    }

    private static DkimSigningKey LoadKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var path = DataPath(key[(colon + 1)..]);
        return key[..colon] == "seed"
            ? DkimSigningKey.FromEd25519Seed(Convert.FromBase64String(File.ReadAllText(path).Trim()))
            : DkimSigningKey.FromPem(File.ReadAllText(path));
    }
}
