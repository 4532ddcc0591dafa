using System.CommandLine;
using System.Text.Json;
using Filter.Host.Cli;
using Filter.Testing;

namespace Filter.Host.Tests.Cli;

public sealed class SpfCommandTests
{
    private const string Zone = """
        $ORIGIN example.com.
        @        TXT "v=spf1 ip4:192.0.2.0/28 -all exp=why.example.com."
        why      TXT "%{i} may not send for %{d}"
        mail     A   192.0.2.1
        mail     TXT "v=spf1 a -all"
        broken   TXT "v=spf1 a:%{q} -all"
        ; authfilter: timeout slow.example.com.
        """;

    private string _directory = string.Empty;
    private string _zoneFile = string.Empty;

    [SetUp]
    public void WriteZone()
    {
        _directory = Path.Combine(Path.GetTempPath(), "authfilter-spf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _zoneFile = Path.Combine(_directory, "test.zone");
        File.WriteAllText(_zoneFile, Zone + "\n");
    }

    [TearDown]
    public void RemoveZone() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Test]
    public async Task PrintsResultMechanismReasonAndReceivedSpf()
    {
        var (exitCode, output, _) = await RunAsync("spf", "--ip", "192.0.2.5", "--helo", "mail.example.com", "--mail-from", "alice@example.com", "--zone", _zoneFile, "--receiver", "mx.test");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output, Does.Contain("result:       pass\n"));
            Assert.That(output, Does.Contain("mechanism:    ip4:192.0.2.0/28\n"));
            Assert.That(output, Does.Contain("reason:       192.0.2.5 matched 'ip4:192.0.2.0/28' in example.com's record\n"));
            Assert.That(output, Does.Contain("Received-SPF: pass (mx.test: domain of alice@example.com designates 192.0.2.5 as permitted sender)"));
        });
    }

    [Test]
    public async Task FailPrintsTheExplanation()
    {
        var (_, output, _) = await RunAsync("spf", "--ip", "198.51.100.7", "--helo", "mail.example.com", "--mail-from", "alice@example.com", "--zone", _zoneFile);

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("result:       fail\n"));
            Assert.That(output, Does.Contain("explanation:  198.51.100.7 may not send for example.com\n"));
        });
    }

    [Test]
    public async Task JsonHasResultReasonAndExplanation()
    {
        var (exitCode, output, _) = await RunAsync("spf", "--ip", "198.51.100.7", "--helo", "mail.example.com", "--mail-from", "alice@example.com", "--zone", _zoneFile, "--json");

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(root.GetProperty("result").GetString(), Is.EqualTo("fail"));
            Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("198.51.100.7 matched '-all' in example.com's record"));
            Assert.That(root.GetProperty("explanation").GetString(), Is.EqualTo("198.51.100.7 may not send for example.com"));
            Assert.That(root.GetProperty("mechanism").GetString(), Is.EqualTo("-all"));
            Assert.That(root.GetProperty("property").GetString(), Is.EqualTo("smtp.mailfrom"));
            Assert.That(root.GetProperty("receivedSpf").GetString(), Does.StartWith("fail ("));
        });
    }

    [Test]
    public async Task EmptyMailFromIsTheNullSender()
    {
        var (_, output, _) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "mail.example.com", "--mail-from", "", "--zone", _zoneFile, "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("result").GetString(), Is.EqualTo("pass"));
            Assert.That(json.RootElement.GetProperty("sender").GetString(), Is.EqualTo("postmaster@mail.example.com"));
            Assert.That(json.RootElement.GetProperty("explanation").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task PermErrorAndTimeoutSayWhy()
    {
        var (_, permerror, _) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@broken.example.com", "--zone", _zoneFile);
        var (_, temperror, _) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@slow.example.com", "--zone", _zoneFile);

        Assert.Multiple(() =>
        {
            Assert.That(permerror, Does.Contain("result:       permerror\n").And.Contain("unknown macro letter 'q'"));
            Assert.That(permerror, Does.Contain("problem="));
            Assert.That(temperror, Does.Contain("result:       temperror\n").And.Contain("Timeout"));
        });
    }

    [Test]
    public async Task SeveralZoneFilesAreReadAsOne()
    {
        var second = Path.Combine(_directory, "other.zone");
        await File.WriteAllTextAsync(second, "$ORIGIN example.net.\n@ TXT \"v=spf1 include:example.com ~all\"\n");

        var (exitCode, output, _) = await RunAsync("spf", "--ip", "192.0.2.3", "--helo", "h.example.net", "--mail-from", "b@example.net", "--zone", _zoneFile, "--zone", second);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output, Does.Contain("result:       pass\n").And.Contain("include:example.com"));
        });
    }

    [Test]
    public async Task TheReadmeSampleZoneWorks()
    {
        var sample = TestPaths.InRepository("samples", "zones", "example.zone");

        var (_, output, _) = await RunAsync("spf", "--ip", "192.0.2.10", "--helo", "mail.example.com", "--mail-from", "alice@example.com", "--zone", sample);

        Assert.That(output, Does.Contain("result:       pass\n").And.Contain("mechanism:    mx\n"));
    }

    [TestCase("fe80::1%eth0", "zone id")]
    [TestCase("192.0.2", "not an IPv4 or IPv6 address")]
    [TestCase("mail.example.com", "not an IPv4 or IPv6 address")]
    public async Task BadAddressesAreRefused(string ip, string message)
    {
        var (exitCode, output, error) = await RunAsync("spf", "--ip", ip, "--helo", "h.example.com", "--mail-from", "a@example.com", "--zone", _zoneFile);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(message));
        });
    }

    [Test]
    public async Task ZoneFileErrorsNameFileAndLine()
    {
        var bad = Path.Combine(_directory, "bad.zone");
        await File.WriteAllTextAsync(bad, "$ORIGIN example.org.\n@ A not-an-address\n");

        var (exitCode, _, error) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.org", "--zone", bad);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error, Does.Contain("bad.zone:2:"));
        });
    }
    [Test]
    public async Task WithoutZoneTheLiveResolverFromThePolicyFileIsAsked()
    {
        // A real UDP peer on loopback that reads queries and never answers: the live resolver
        // configured by --config must time out, which SPF reports as temperror (RFC 7208 §4.4).
        using var silentServer = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)silentServer.Client.LocalEndPoint!).Port;
        var policy = Path.Combine(_directory, "live.yaml");
        await File.WriteAllTextAsync(policy, $"dns:\n  nameservers: [\"127.0.0.1:{port}\"]\n  timeout: 200ms\n  retries: 0\n");

        var (exitCode, output, _) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--config", policy);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output, Does.Contain("result:       temperror\n").And.Contain("timed out"));
        });
    }

    [Test]
    public async Task ABrokenPolicyFileIsReportedWithItsPosition()
    {
        var policy = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(policy, "dns:\n  timout: 2s\n");

        var (exitCode, output, error) = await RunAsync("spf", "--ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com", "--config", policy);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("broken.yaml:2:3:").And.Contain("timeout"));
        });
    }
}
