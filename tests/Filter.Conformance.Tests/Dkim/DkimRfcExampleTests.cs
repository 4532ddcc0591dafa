using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Conformance.Tests.Dkim;

/// <summary>The published RFC examples verify with their published keys (issue 4, acceptance).</summary>
[TestFixture]
public sealed class DkimRfcExampleTests
{
    private static string DataPath(string relative) => Path.Combine(AppContext.BaseDirectory, "Data", "dkim", relative);

    private static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(string message, string zone)
    {
        var verifier = new DkimVerifier(new ZoneResolver(DkimConformanceZone.Load(DataPath(zone))));
        await using var stream = File.OpenRead(DataPath(message));
        return await verifier.VerifyAsync(stream, CancellationToken.None);
    }

    [Test]
    public async Task Rfc8463AppendixAVerifiesBothSignatures()
    {
        var results = await VerifyAsync("rfc8463/signed.eml", "rfc8463/rfc8463.zone");
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Code), Is.EqualTo(new[] { DkimResultCode.Pass, DkimResultCode.Pass }));
            Assert.That(results.Select(r => r.Algorithm), Is.EqualTo(new[] { "ed25519-sha256", "rsa-sha256" }));
            Assert.That(results.Select(r => r.Selector), Is.EqualTo(new[] { "brisbane", "test" }));
            Assert.That(results.Select(r => r.Domain), Is.All.EqualTo("football.example.com"));
            Assert.That(results.Select(r => r.KeyBits), Is.EqualTo(new int?[] { 256, 1024 }));
            Assert.That(results.Select(r => r.SignaturePrefix!.Length), Is.All.EqualTo(8));
        });
    }

    [Test]
    public async Task Rfc6376AppendixAVerifiesAsReproducedAndFailsAsPrinted()
    {
        var reproduced = (await VerifyAsync("rfc6376/a2-verifying.eml", "rfc6376/rfc6376.zone")).Single();
        var printed = (await VerifyAsync("rfc6376/a2-as-published.eml", "rfc6376/rfc6376.zone")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(reproduced.Code, Is.EqualTo(DkimResultCode.Pass), reproduced.Reason);
            Assert.That(reproduced.Identifier, Is.EqualTo("joe@football.example.com"));
            Assert.That(printed.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(printed.Reason, Is.EqualTo("body hash did not verify"));
        });
    }
}
