using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Cli;
using Filter.Host.Recording;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Host.Tests.Recording;

/// <summary>
/// Issue 6 item 6 acceptance: a message authenticated with DNS recorded by <see cref="RecordingDnsResolver"/>,
/// written by <see cref="CorpusEntryWriter"/>, replays through <c>authfilter replay</c> to exactly the
/// recorded verdict and SPF, DKIM and DMARC results, reasons included.
/// </summary>
public sealed class RecordedEntryReplayTests
{
    private const string ClientIp = "192.0.2.25";
    private string _corpus = string.Empty;

    [SetUp]
    public void ChooseFolder() =>
        _corpus = Path.Combine(Path.GetTempPath(), "authfilter-record-" + Guid.NewGuid().ToString("N"), "corpus");

    [TearDown]
    public void RemoveFolder()
    {
        var parent = Path.GetDirectoryName(_corpus)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Test]
    public async Task RecordedEntry_ReplaysToTheSameVerdictResultsAndReasons()
    {
        using var ed = DkimSigningKey.FromEd25519Seed(SHA256.HashData("authfilter recording test"u8));
        var zone = new DnsZone();
        // SPF: a NODATA (owner without A), an NXDOMAIN (exists:) and an answer that matches (RFC 7208 §4.6.4: two void lookups are allowed).
        zone.AddTxt("sender.example", "v=spf1 a:nodata.sender.example exists:nx.sender.example a:mta.sender.example -all");
        zone.AddOwner("nodata.sender.example");
        zone.AddA("mta.sender.example", IPAddress.Parse(ClientIp));
        zone.AddTxt("ed._domainkey.sender.example", ed.KeyRecord);
        // The second signature's key lookup times out: DKIM temperror (RFC 6376 §6.1.2).
        zone.AddFailure("slow._domainkey.sender.example", DnsResponseStatus.Timeout, DnsRecordType.Txt);
        zone.AddTxt("_dmarc.sender.example", "v=DMARC1; p=reject; adkim=s; rua=mailto:\"dmarc\"@sender.example");

        var message = Sign(Sign(Mail(), "slow", ed), "ed", ed);
        var envelope = new MessageEnvelope(
            new ClientConnection(IPAddress.Parse(ClientIp), null), "mta.sender.example", "bounce@sender.example", ["user@receiver.example"], "Q42");
        var recording = new RecordingDnsResolver(new ZoneResolver(zone));
        var engine = new MessageAuthenticationEngine(recording, FilterPolicy.Default, TimeProvider.System, NullLogger.Instance);
        AuthenticationOutcome recorded;
        using (var stream = new MemoryStream(message))
        {
            recorded = await engine.AuthenticateAsync(stream, envelope, CancellationToken.None);
        }

        // The scenario covers what it claims: each DNS outcome was really seen.
        Assert.That(recording.Questions.Select(q => (q.Name, q.Type, q.Status)), Is.SupersetOf(new[]
        {
            ("sender.example", DnsRecordType.Txt, DnsResponseStatus.Answer),
            ("nodata.sender.example", DnsRecordType.A, DnsResponseStatus.NoData),
            ("nx.sender.example", DnsRecordType.A, DnsResponseStatus.NxDomain),
            ("slow._domainkey.sender.example", DnsRecordType.Txt, DnsResponseStatus.Timeout),
            ("_dmarc.sender.example", DnsRecordType.Txt, DnsResponseStatus.Answer),
        }));

        new CorpusEntryWriter(_corpus).Write("q42", message, envelope, recording, recorded);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(["replay", _corpus, "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        using var replayed = JsonDocument.Parse(output.ToString());
        var entry = replayed.RootElement.GetProperty("messages")[0];
        var replayedOutcome = entry.GetProperty("outcome");
        using var expected = JsonDocument.Parse(Json(recorded));
        Assert.Multiple(() =>
        {
            Assert.That(error.ToString(), Is.Empty);
            Assert.That(exitCode, Is.EqualTo(0), output.ToString());
            Assert.That(replayed.RootElement.GetProperty("total").GetInt32(), Is.EqualTo(1));
            Assert.That(entry.GetProperty("passed").GetBoolean(), Is.True);
            // The recorded run is what the scenario says, so "the same" is not "the same nothing".
            Assert.That(recorded.Verdict.Word, Is.EqualTo("accept"));
            Assert.That(recorded.Spf!.ResultWord, Is.EqualTo("pass"));
            Assert.That(recorded.Dkim.Select(d => OutcomeSummary.DkimWord(d.Code)), Is.EqualTo(new[] { "pass", "temperror" }));
            Assert.That(recorded.Dmarc!.Code, Is.EqualTo(Filter.Engine.Dmarc.DmarcResultCode.Pass));
            foreach (var part in new[] { "verdict", "reason", "spf", "dkim", "dmarc", "authenticationResults" })
            {
                // Both re-serialised by one writer, so layout and escaping do not count, every value does.
                Assert.That(JsonSerializer.Serialize(replayedOutcome.GetProperty(part)), Is.EqualTo(JsonSerializer.Serialize(expected.RootElement.GetProperty(part))), part);
            }
        });
    }

    [Test]
    public void WrittenFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes do not exist on Windows.");
        }

        var recording = new RecordingDnsResolver(new ZoneResolver(new DnsZone()));
        var envelope = new MessageEnvelope(new ClientConnection(IPAddress.Parse(ClientIp), null), "h.example", "", ["u@r.example"]);
        var outcome = new AuthenticationOutcome(null, null, [], null, AuthenticationVerdict.Accept("test"), [], [], "r.example; none", 0);

        new CorpusEntryWriter(_corpus).Write("m1", "Subject: x\r\n\r\nbody\r\n"u8, envelope, recording, outcome);

        const UnixFileMode folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Multiple(() =>
        {
            Assert.That(Mode(_corpus), Is.EqualTo(folder));
            Assert.That(Mode(Path.Combine(_corpus, "messages")), Is.EqualTo(folder));
            Assert.That(Mode(Path.Combine(_corpus, "zones")), Is.EqualTo(folder));
            Assert.That(Mode(Path.Combine(_corpus, "messages", "m1.eml")), Is.EqualTo(file));
            Assert.That(Mode(Path.Combine(_corpus, "zones", "m1.zone")), Is.EqualTo(file));
            Assert.That(Mode(Path.Combine(_corpus, "manifest.yaml")), Is.EqualTo(file));
            Assert.That(() => new CorpusEntryWriter(_corpus).Write("m1", "x"u8, envelope, recording, outcome), Throws.InstanceOf<IOException>(),
                "an existing entry is never overwritten");
        });
    }

    // The test ignores itself on Windows first; the guard only tells the platform analyzer so.
    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    private static string Json(AuthenticationOutcome outcome)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            OutcomeJson.Write(writer, outcome);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static byte[] Mail() => Encoding.ASCII.GetBytes(
        "From: Sender <news@sender.example>\r\nTo: user@receiver.example\r\nSubject: Recorded\r\n" +
        "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <rec-1@sender.example>\r\n\r\nHello.\r\n");

    private static byte[] Sign(byte[] message, string selector, DkimSigningKey key)
    {
        var field = new DkimSigner(new DkimSignerOptions { Domain = "sender.example", Selector = selector, Key = key }).Sign(message);
        return [.. Encoding.ASCII.GetBytes(field + "\r\n"), .. message];
    }
}
