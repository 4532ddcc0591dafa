using System.CommandLine;
using System.Text.Json;
using System.Xml.Linq;
using Filter.Host.Cli;
using Filter.Host.Tests.Replay;

namespace Filter.Host.Tests.Cli;

/// <summary><c>authfilter replay</c> and <c>authfilter diff</c> over a fresh copy of the sample corpus.</summary>
public sealed class ReplayCommandTests
{
    private string _corpus = string.Empty;

    [SetUp]
    public void WriteCorpus()
    {
        _corpus = Path.Combine(Path.GetTempPath(), "authfilter-replay-" + Guid.NewGuid().ToString("N"));
        CorpusGenerator.Write(_corpus);
    }

    [TearDown]
    public void RemoveCorpus() => Directory.Delete(_corpus, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Manifest => Path.Combine(_corpus, "manifest.yaml");

    private void EditManifest(string from, string to)
    {
        var text = File.ReadAllText(Manifest);
        Assert.That(text, Does.Contain(from));
        File.WriteAllText(Manifest, text.Replace(from, to, StringComparison.Ordinal));
    }

    private string WritePolicy(string name, string yaml)
    {
        var path = Path.Combine(_corpus, name);
        File.WriteAllText(path, yaml + "\n");
        return path;
    }

    [Test]
    public async Task MissedExpectation_Exits1_TableSaysWhy_JUnitHasTheFailure()
    {
        EditManifest("expect: { verdict: reject, spf: fail, dkim: [none], dmarc: fail }\n  - file: messages/05",
            "expect: { verdict: accept, spf: fail, dkim: [none], dmarc: fail }\n  - file: messages/05");
        var junit = Path.Combine(_corpus, "junit.xml");

        var (exitCode, output, _) = await RunAsync("replay", _corpus, "--junit", junit);

        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Does.Contain("FAIL verdict: expected accept, got reject"));
            Assert.That(output, Does.Contain("20 messages, 19 as expected, 1 failed"));
            Assert.That(suite.Attribute("tests")!.Value, Is.EqualTo("20"));
            Assert.That(suite.Attribute("failures")!.Value, Is.EqualTo("1"));
            Assert.That(suite.Elements("testcase").Single(e => e.Element("failure") is not null).Attribute("name")!.Value,
                Is.EqualTo("messages/04-bank-spoof.eml"));
        });
    }

    [Test]
    public async Task MissedDkimExpectation_IsReported()
    {
        EditManifest("messages/01-bank-ed25519-pass.eml", "messages/05-bank-body-altered.eml");

        var (exitCode, output, _) = await RunAsync("replay", _corpus);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Does.Contain("dkim: expected pass, got fail"));
        });
    }

    [Test]
    public async Task Json_OneObjectWithEveryOutcome()
    {
        var (exitCode, output, error) = await RunAsync("replay", _corpus, "--json");

        Assert.That(exitCode, Is.Zero, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var spoof = root.GetProperty("messages")[3];
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("total").GetInt32(), Is.EqualTo(20));
            Assert.That(root.GetProperty("failed").GetInt32(), Is.Zero);
            Assert.That(spoof.GetProperty("file").GetString(), Is.EqualTo("messages/04-bank-spoof.eml"));
            Assert.That(spoof.GetProperty("outcome").GetProperty("verdict").GetString(), Is.EqualTo("reject"));
            Assert.That(spoof.GetProperty("outcome").GetProperty("reply").GetProperty("code").GetInt32(), Is.EqualTo(550));
        });
    }

    [Test]
    public async Task BadManifest_Exits2WithLineAndColumn()
    {
        EditManifest("    rcpt: [user@receiver.example]\n    expect: { verdict: accept, spf: fail, dkim: [pass], dmarc: pass }\n  - file: messages/02",
            "    rcpt: [user@receiver.example]\n    colour: blue\n    expect: { verdict: accept, spf: fail, dkim: [pass], dmarc: pass }\n  - file: messages/02");

        var (exitCode, _, error) = await RunAsync("replay", _corpus);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error, Does.Contain("manifest.yaml:12:5: unknown key 'colour'"));
        });
    }

    [Test]
    public async Task Diff_DmarcRejectActionToQuarantine_ChangesExactlyTheDmarcRejects()
    {
        var old = WritePolicy("old.yaml", "authserv-id: mx.receiver.example");
        var updated = WritePolicy("new.yaml", "authserv-id: mx.receiver.example\nactions:\n  dmarc-reject: quarantine");

        var (exitCode, output, error) = await RunAsync("diff", _corpus, "--policy", old, "--policy", updated);

        var changed = output.Split('\n').Where(l => l.StartsWith("messages/", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(':')]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(changed, Is.EqualTo(new[]
            {
                "messages/04-bank-spoof.eml", "messages/05-bank-body-altered.eml", "messages/06-bank-unaligned-dkim.eml",
                "messages/12-nonexistent-subdomain-np.eml", "messages/18-jp-random-local-part-spoof.eml",
            }), "13-multiple-from stays rejected: multiple-from has its own rule");
            Assert.That(output, Does.Contain("5 reject -> quarantine\n"));
            Assert.That(output, Does.Contain("5 of 20 messages change verdict"));
        });
    }

    [Test]
    public async Task Diff_SpfOnFailReject_ChangesExactlyTheAcceptedSpfFails()
    {
        var old = WritePolicy("old.yaml", "authserv-id: mx.receiver.example");
        var updated = WritePolicy("new.yaml", "authserv-id: mx.receiver.example\nspf:\n  on-fail: reject");

        var (exitCode, output, error) = await RunAsync("diff", _corpus, "--policy", old, "--policy", updated);

        var changed = output.Split('\n').Where(l => l.StartsWith("messages/", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(':')]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(changed, Is.EqualTo(new[]
            {
                "messages/01-bank-ed25519-pass.eml", "messages/02-bank-rsa-pass.eml", "messages/08-news-p-none.eml",
                "messages/09-no-dmarc-record.eml", "messages/14-forged-authentication-results.eml",
            }), "the authenticated submitter (15) is not judged; softfail (07) is not fail");
            Assert.That(output, Does.Contain("5 accept -> reject\n"));
        });
    }

    [Test]
    public async Task Diff_SamePolicy_ChangesNothing()
    {
        var policy = WritePolicy("same.yaml", "authserv-id: mx.receiver.example");

        var (exitCode, output, _) = await RunAsync("diff", _corpus, "--policy", policy, "--policy", policy);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(output, Is.EqualTo("0 of 20 messages change verdict\n"));
        });
    }

    [Test]
    public async Task Diff_NeedsTwoPolicies()
    {
        var policy = WritePolicy("one.yaml", "authserv-id: mx.receiver.example");

        var (exitCode, _, error) = await RunAsync("diff", _corpus, "--policy", policy);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error, Does.Contain("give exactly two files"));
        });
    }
}
