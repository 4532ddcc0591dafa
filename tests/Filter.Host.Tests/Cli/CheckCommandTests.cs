using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Filter.Engine.Dkim;
using Filter.Host.Cli;

namespace Filter.Host.Tests.Cli;

/// <summary>
/// <c>authfilter check</c> end to end: a message signed in the test (Ed25519, so the key fits one zone
/// string), DNS from a zone file, policy from a file; text and JSON output asserted.
/// </summary>
public sealed class CheckCommandTests
{
    private const string ZoneTemplate = """
        $ORIGIN example.
        reject              TXT "v=spf1 ip4:192.0.2.0/24 -all"
        _dmarc.reject       TXT "v=DMARC1; p=reject"
        sel._domainkey.reject TXT "{KEY}"
        ; authfilter: timeout _dmarc.slow TXT
        """;

    private const string Policy = """
        authserv-id: mx.test.example
        actions:
          dmarc-reject: quarantine
        """;

    private string _directory = string.Empty;
    private string _zone = string.Empty;
    private string _signed = string.Empty;
    private string _unsigned = string.Empty;
    private string _policy = string.Empty;

    [SetUp]
    public void WriteFiles()
    {
        _directory = Path.Combine(Path.GetTempPath(), "authfilter-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        using var key = DkimSigningKey.FromEd25519Seed(SHA256.HashData("authfilter check test"u8));
        _zone = Write("test.zone", ZoneTemplate.Replace("{KEY}", key.KeyRecord, StringComparison.Ordinal) + "\n");
        var message = Encoding.ASCII.GetBytes(
            "From: Alice <alice@reject.example>\r\nTo: bob@receiver.example\r\nSubject: hi\r\n"
            + "Authentication-Results: mx.test.example; dmarc=pass\r\n\r\nHello.\r\n");
        _unsigned = Write("unsigned.eml", Encoding.ASCII.GetString(message));
        var signature = new DkimSigner(new DkimSignerOptions { Domain = "reject.example", Selector = "sel", Key = key }).Sign(message);
        _signed = Write("signed.eml", signature + "\r\n" + Encoding.ASCII.GetString(message));
        _policy = Write("policy.yaml", Policy + "\n");
    }

    [TearDown]
    public void RemoveFiles() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Text_DmarcRejectFailure_PrintsHeaderResultsAndRejectReply()
    {
        var (exitCode, output, error) = await RunAsync("check", _unsigned, "--client-ip", "198.51.100.7", "--helo", "mx.sender.example",
            "--mail-from", "bounce@reject.example", "--rcpt", "bob@receiver.example", "--zone", _zone, "--policy", Write("p.yaml", "authserv-id: mx.test.example\n"));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Does.StartWith("Authentication-Results: mx.test.example;"));
            Assert.That(output, Does.Contain("spf:      fail smtp.mailfrom=bounce@reject.example ("));
            Assert.That(output, Does.Contain("dkim:     none (message has no DKIM-Signature)"));
            Assert.That(output, Does.Contain("dmarc:    fail header.from=reject.example p=reject ("));
            Assert.That(output, Does.Contain("remove:   Authentication-Results #1 (names our authserv-id)"));
            Assert.That(output, Does.Contain("verdict:  reject ("));
            Assert.That(output, Does.Contain("reply:    550 5.7.1 Message rejected: DMARC policy of reject.example ("));
        });
    }

    [Test]
    public async Task Text_PolicyWithCheckHelo_AddsTheHeloResult()
    {
        string[] Args(string policy) =>
        [
            "check", _unsigned, "--client-ip", "198.51.100.7", "--helo", "mx.sender.example", "--mail-from", "bounce@reject.example",
            "--zone", _zone, "--policy", Write(policy, "authserv-id: mx.test.example\nspf:\n  check-helo: " + (policy == "on.yaml" ? "true" : "false") + "\n"),
        ];

        var on = await RunAsync(Args("on.yaml"));
        var off = await RunAsync(Args("off.yaml"));

        // mx.sender.example publishes no SPF record: the HELO identity's result is none (RFC 7208 §2.3, §4.5).
        Assert.Multiple(() =>
        {
            Assert.That(on.ExitCode, Is.Zero, on.Error);
            Assert.That(on.Output, Does.Contain("spf.helo: none smtp.helo=mx.sender.example ("));
            Assert.That(on.Output, Does.Contain("spf=none").And.Contain("smtp.helo=mx.sender.example"));
            Assert.That(off.ExitCode, Is.Zero, off.Error);
            Assert.That(off.Output, Does.Not.Contain("spf.helo:"));
            Assert.That(off.Output, Does.Not.Contain("smtp.helo="));
        });
    }

    [Test]
    public async Task Json_SignedMessage_PassesWithEveryField()
    {
        var (exitCode, output, error) = await RunAsync("check", _signed, "--client-ip", "198.51.100.7", "--mail-from", "bounce@reject.example",
            "--zone", _zone, "--policy", _policy, "--json");

        Assert.That(exitCode, Is.Zero, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("verdict").GetString(), Is.EqualTo("accept"));
            Assert.That(root.GetProperty("reply").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("spf").GetProperty("result").GetString(), Is.EqualTo("fail"));
            Assert.That(root.GetProperty("spf").GetProperty("reason").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("dkim")[0].GetProperty("result").GetString(), Is.EqualTo("pass"));
            Assert.That(root.GetProperty("dkim")[0].GetProperty("domain").GetString(), Is.EqualTo("reject.example"));
            Assert.That(root.GetProperty("dmarc").GetProperty("result").GetString(), Is.EqualTo("pass"));
            Assert.That(root.GetProperty("dmarc").GetProperty("reason").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("authenticationResults").GetString(), Does.StartWith("mx.test.example;").And.Contain("dkim=pass"));
            Assert.That(root.GetProperty("deleteHeaders")[0].GetProperty("occurrence").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Json_PolicyFileChangesTheAction()
    {
        var (exitCode, output, error) = await RunAsync("check", _unsigned, "--client-ip", "198.51.100.7", "--mail-from", "bounce@reject.example",
            "--zone", _zone, "--policy", _policy, "--json");

        Assert.That(exitCode, Is.Zero, error);
        using var document = JsonDocument.Parse(output);
        Assert.That(document.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("quarantine"), "dmarc-reject: quarantine in the policy file");
    }

    [Test]
    public async Task Json_TempfailCarriesTheReply()
    {
        var message = Write("slow.eml", "From: a@slow.example\r\nSubject: x\r\n\r\nbody\r\n");
        var (exitCode, output, error) = await RunAsync("check", message, "--mail-from", "a@slow.example", "--zone", _zone, "--policy", _policy, "--json");

        Assert.That(exitCode, Is.Zero, error);
        using var document = JsonDocument.Parse(output);
        var reply = document.RootElement.GetProperty("reply");
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("tempfail"));
            Assert.That(reply.GetProperty("code").GetInt32(), Is.EqualTo(451));
            Assert.That(reply.GetProperty("text").GetString(), Does.StartWith("Temporary failure checking slow.example ("));
        });
    }

    [Test]
    public async Task AuthenticatedSubmitter_IsAccepted()
    {
        var (exitCode, output, _) = await RunAsync("check", _unsigned, "--client-ip", "198.51.100.7", "--mail-from", "bounce@reject.example",
            "--zone", _zone, "--policy", _policy, "--auth-user", "alice");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output, Does.Contain("verdict:  accept (authenticated submitter alice"));
        });
    }

    [TestCase("--client-ip", "300.1.2.3", "--client-ip: '300.1.2.3' is not an IPv4 or IPv6 address")]
    [TestCase("--policy", "missing.yaml", "missing.yaml:")]
    public async Task BadInput_Exits1WithMessage(string option, string value, string message)
    {
        var (exitCode, _, error) = await RunAsync("check", _unsigned, "--zone", _zone, option, value);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error, Does.Contain(message));
        });
    }

    [Test]
    public async Task MissingFile_Exits1()
    {
        var (exitCode, _, error) = await RunAsync("check", Path.Combine(_directory, "nope.eml"), "--zone", _zone);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error, Does.Contain("file not found"));
        });
    }
}
