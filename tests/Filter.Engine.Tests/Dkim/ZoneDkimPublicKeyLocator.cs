using Filter.Engine.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// MimeKit's key locator served from the same zone data our verifier reads (through
/// <see cref="ZoneResolver"/>), so both verifiers see identical DNS.
/// </summary>
internal sealed class ZoneDkimPublicKeyLocator(IDnsResolver resolver) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var response = await resolver.QueryTxtAsync($"{selector}._domainkey.{domain}", cancellationToken);
        if (response.Records.Count == 0)
        {
            // MimeKit's contract: a key that cannot be found is an exception.
            throw new InvalidOperationException($"no key record for {selector}._domainkey.{domain} ({response.Status})");
        }

        return GetPublicKey(response.Records[0]);
    }
}
