using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Filter.Host.Cli;

namespace Filter.Host.Tests.Cli;

/// <summary>`authfilter dkim sign` and `authfilter dkim verify`, run in process on temporary files.</summary>
[TestFixture]
public sealed class DkimCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "authfilter-dkim-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [TestCase("rsa")]
    [TestCase("ed25519")]
    public async Task SignThenVerifyPassesAndJsonHasTheFields(string keyType)
    {
        var keyPath = Path.Combine(_directory, "key.pem");
        if (keyType == "rsa")
        {
            using var rsa = RSA.Create(2048);
            await File.WriteAllTextAsync(keyPath, rsa.ExportRSAPrivateKeyPem());
        }
        else
        {
            // RFC 8463 A.1 key as PKCS#8 PEM, from the conformance data folder of this repository.
            File.Copy(Filter.Testing.TestPaths.InRepository("tests", "Filter.Conformance.Tests", "Data", "dkim", "rfc8463", "brisbane.ed25519-private.pem"), keyPath);
        }

        var messagePath = Path.Combine(_directory, "message.eml");
        await File.WriteAllTextAsync(messagePath, "From: a@example.com\nTo: b@example.net\nSubject: hi\n\nHello\n");
        var signedPath = Path.Combine(_directory, "signed.eml");
        var zonePath = Path.Combine(_directory, "keys.zone");

        var (recordExit, record, _) = await RunAsync("dkim", "sign", "--key", keyPath, "--domain", "example.com", "--selector", "sel", "--print-record", messagePath);
        await File.WriteAllTextAsync(zonePath, record);
        var (signExit, _, signError) = await RunAsync("dkim", "sign", "--key", keyPath, "--domain", "example.com", "--selector", "sel", "--over-sign", "--output", signedPath, messagePath);
        var (verifyExit, json, verifyError) = await RunAsync("dkim", "verify", signedPath, "--zone", zonePath, "--json");
        var (textExit, text, _) = await RunAsync("dkim", "verify", signedPath, "--zone", zonePath);

        Assert.Multiple(() =>
        {
            Assert.That(recordExit, Is.Zero);
            Assert.That(signExit, Is.Zero, signError);
            Assert.That(verifyExit, Is.Zero, verifyError);
            Assert.That(textExit, Is.Zero);
            Assert.That(text, Does.StartWith("pass header.d=example.com header.s=sel"));
        });
        using var document = JsonDocument.Parse(json);
        var signature = document.RootElement.GetProperty("signatures")[0];
        Assert.Multiple(() =>
        {
            Assert.That(signature.GetProperty("result").GetString(), Is.EqualTo("pass"));
            Assert.That(signature.GetProperty("reason").GetString(), Is.EqualTo("signature verified"));
            Assert.That(signature.GetProperty("domain").GetString(), Is.EqualTo("example.com"));
            Assert.That(signature.GetProperty("selector").GetString(), Is.EqualTo("sel"));
            Assert.That(signature.GetProperty("algorithm").GetString(), Is.EqualTo(keyType == "rsa" ? "rsa-sha256" : "ed25519-sha256"));
        });
    }

    [Test]
    public async Task VerifyOfUnsignedMessageSaysNoneAndExitsOne()
    {
        var messagePath = Path.Combine(_directory, "message.eml");
        await File.WriteAllTextAsync(messagePath, "From: a@example.com\r\n\r\nbody\r\n");
        var zonePath = Path.Combine(_directory, "empty.zone");
        await File.WriteAllTextAsync(zonePath, "; no records\n");
        var (exit, output, _) = await RunAsync("dkim", "verify", messagePath, "--zone", zonePath, "--json");
        using var document = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(document.RootElement.GetProperty("result").GetString(), Is.EqualTo("none"));
            Assert.That(document.RootElement.GetProperty("signatures").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task BadZoneFileIsReportedWithExitTwo()
    {
        var messagePath = Path.Combine(_directory, "message.eml");
        await File.WriteAllTextAsync(messagePath, "From: a@example.com\r\n\r\nbody\r\n");
        var zonePath = Path.Combine(_directory, "bad.zone");
        await File.WriteAllTextAsync(zonePath, "name.example. IN BOGUS data\n");
        var (exit, _, error) = await RunAsync("dkim", "verify", messagePath, "--zone", zonePath);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("bad.zone"));
        });
    }

    [Test]
    public async Task WithoutZoneTheLiveResolverFromThePolicyFileIsAsked()
    {
        // A real UDP peer on loopback that reads queries and never answers: without --zone the key
        // lookup goes to the live resolver configured by --config, times out, and is temperror (§6.1.2).
        using var silentServer = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silentServer.Client.LocalEndPoint!).Port;
        var policy = Path.Combine(_directory, "live.yaml");
        await File.WriteAllTextAsync(policy, $"dns:\n  nameservers: [\"127.0.0.1:{port}\"]\n  timeout: 200ms\n  retries: 0\n");
        var (signedPath, _) = await SignAsync();

        var (exit, json, _) = await RunAsync("dkim", "verify", signedPath, "--config", policy, "--json");

        using var document = JsonDocument.Parse(json);
        var signature = document.RootElement.GetProperty("signatures")[0];
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(signature.GetProperty("result").GetString(), Is.EqualTo("temperror"));
            Assert.That(signature.GetProperty("reason").GetString(), Does.StartWith("key lookup failed"));
        });
    }

    [Test]
    public async Task SeveralZoneFilesAreReadAsOneZone()
    {
        var (signedPath, zonePath) = await SignAsync();
        var otherZone = Path.Combine(_directory, "other.zone");
        await File.WriteAllTextAsync(otherZone, "$ORIGIN example.org.\n@ 300 IN TXT \"v=spf1 -all\"\n");

        var (exit, output, error) = await RunAsync("dkim", "verify", signedPath, "--zone", otherZone, "--zone", zonePath);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(output, Does.StartWith("pass header.d=example.com header.s=sel"));
        });
    }

    [Test]
    public async Task ABrokenPolicyFileIsReportedWithExitTwo()
    {
        var (signedPath, _) = await SignAsync();
        var policy = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(policy, "dns:\n  timout: 2s\n");

        var (exit, output, error) = await RunAsync("dkim", "verify", signedPath, "--config", policy);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("broken.yaml:2:3:"));
        });
    }

    /// <summary>Signs a small message with the RFC 8463 Ed25519 key; returns the signed file and a zone file with the key record.</summary>
    private async Task<(string SignedPath, string ZonePath)> SignAsync()
    {
        var keyPath = Path.Combine(_directory, "key.pem");
        File.Copy(Filter.Testing.TestPaths.InRepository("tests", "Filter.Conformance.Tests", "Data", "dkim", "rfc8463", "brisbane.ed25519-private.pem"), keyPath, overwrite: true);
        var messagePath = Path.Combine(_directory, "message.eml");
        await File.WriteAllTextAsync(messagePath, "From: a@example.com\nTo: b@example.net\nSubject: hi\n\nHello\n");
        var signedPath = Path.Combine(_directory, "signed.eml");
        var (recordExit, record, _) = await RunAsync("dkim", "sign", "--key", keyPath, "--domain", "example.com", "--selector", "sel", "--print-record", messagePath);
        var (signExit, _, _) = await RunAsync("dkim", "sign", "--key", keyPath, "--domain", "example.com", "--selector", "sel", "--output", signedPath, messagePath);
        Assert.That((recordExit, signExit), Is.EqualTo((0, 0)));
        var zonePath = Path.Combine(_directory, "keys.zone");
        await File.WriteAllTextAsync(zonePath, record);
        return (signedPath, zonePath);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
