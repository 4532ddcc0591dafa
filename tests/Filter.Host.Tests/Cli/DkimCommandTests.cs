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

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
