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

    private static string Unwrapped(string table) => string.Join(' ', table.Split([' ', '\n', '\u2502'], StringSplitOptions.RemoveEmptyEntries));

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
            Assert.That(Unwrapped(output), Does.Contain("FAIL verdict: expected accept, got reject"));
            Assert.That(output, Does.Contain("66 messages, 65 as expected, 1 failed"));
            Assert.That(suite.Attribute("tests")!.Value, Is.EqualTo("66"));
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
            // The check column may wrap inside the table; read it with the table's borders and line breaks removed.
            Assert.That(Unwrapped(output), Does.Contain("dkim: expected pass, got fail"));
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
            Assert.That(root.GetProperty("total").GetInt32(), Is.EqualTo(66));
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
                "messages/24-spf-permerror-unsigned.eml", "messages/30-dkim-header-changed.eml", "messages/31-dkim-revoked-key.eml",
                "messages/32-dkim-no-key.eml", "messages/33-dkim-expired.eml", "messages/34-dkim-rsa-sha1.eml",
                "messages/35-dkim-short-rsa-key.eml", "messages/45-dmarc-strict-spf-subdomain.eml", "messages/46-dmarc-strict-dkim-subdomain.eml",
                "messages/50-dmarc-psd-policy.eml", "messages/60-from-idn-spoof.eml", "messages/64-null-sender-helo-no-spf.eml",
                "messages/66-foreign-authentication-results.eml",
            }), "13 and 54 (several authors) stay rejected: multiple-from has its own rule");
            Assert.That(output, Does.Contain("18 reject -> quarantine\n"));
            Assert.That(output, Does.Contain("18 of 66 messages change verdict"));
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
                "messages/36-dkim-l-tag-appended.eml", "messages/37-dkim-multiple-one-good.eml", "messages/38-dkim-ed25519-and-rsa.eml",
                "messages/41-dkim-simple-canonicalization.eml", "messages/42-dkim-relaxed-whitespace.eml", "messages/44-dmarc-relaxed-dkim-subdomain.eml",
                "messages/47-dmarc-strict-exact-pass.eml", "messages/48-dmarc-testing-t-y.eml", "messages/49-dmarc-subdomain-own-record.eml",
                "messages/51-dmarc-psd-org-alignment.eml", "messages/55-from-two-mailboxes-one-domain.eml", "messages/58-from-folded-with-comments.eml",
                "messages/59-from-idn-pass.eml", "messages/63-jp-provider-p-none-spoof.eml",
            }), "the authenticated submitter (15) is not judged; softfail (07) is not fail; a DMARC temperror (39, 53) tempfails first");
            Assert.That(output, Does.Contain("18 accept -> reject\n"));
            Assert.That(output, Does.Contain("1 quarantine -> reject\n"));
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
            Assert.That(output, Is.EqualTo("0 of 66 messages change verdict\n"));
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
