using System.CommandLine;
using System.Text.Json;
using Filter.Host.Cli;

namespace Filter.Host.Tests.Replay;

/// <summary>
/// The manifest's per-entry <c>zones:</c> key (issue 6 item 6): each entry with its own zone replays with
/// that DNS only, even where two entries contradict each other (a timeout, later an answer); entries
/// without it use the shared zones, which leave out every entry's own file.
/// </summary>
public sealed class PerEntryZoneTests
{
    private const string Message =
        "From: Alice <alice@flip.example>\r\nTo: bob@receiver.example\r\nSubject: flip\r\n\r\nHello.\r\n";

    private string _corpus = string.Empty;

    [SetUp]
    public void WriteCorpus()
    {
        _corpus = Path.Combine(Path.GetTempPath(), "authfilter-entryzones-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_corpus, "messages"));
        Directory.CreateDirectory(Path.Combine(_corpus, "zones"));
        File.WriteAllText(Path.Combine(_corpus, "messages", "m.eml"), Message);
        const string spf = "flip.example. TXT \"v=spf1 -all\"\n";
        File.WriteAllText(Path.Combine(_corpus, "zones", "timeout.zone"), spf + "; authfilter: timeout _dmarc.flip.example. TXT detail: no answer from 192.0.2.53\n");
        File.WriteAllText(Path.Combine(_corpus, "zones", "reject.zone"), spf + "_dmarc.flip.example. TXT \"v=DMARC1; p=reject\"\n");
        File.WriteAllText(Path.Combine(_corpus, "zones", "shared.zone"), spf + "_dmarc.flip.example. TXT \"v=DMARC1; p=none\"\n");
        File.WriteAllText(Path.Combine(_corpus, "manifest.yaml"), """
            messages:
              - file: messages/m.eml
                zones: [zones/timeout.zone]
                client-ip: 198.51.100.7
                mail-from: bounce@flip.example
                rcpt: [bob@receiver.example]
                expect: { verdict: tempfail, dmarc: temperror,
                  reason: "DMARC temperror: DNS error at _dmarc.flip.example: no answer from 192.0.2.53" }
              - file: messages/m.eml
                zones: [zones/reject.zone]
                client-ip: 198.51.100.7
                mail-from: bounce@flip.example
                rcpt: [bob@receiver.example]
                expect: { verdict: reject, dmarc: fail }
              - file: messages/m.eml
                client-ip: 198.51.100.7
                mail-from: bounce@flip.example
                rcpt: [bob@receiver.example]
                expect: { verdict: accept, dmarc: fail }
            """);
    }

    [TearDown]
    public void RemoveCorpus() => Directory.Delete(_corpus, recursive: true);

    [Test]
    public async Task EachEntryReplaysWithItsOwnZone_OthersWithTheSharedOnes()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await AuthFilterCommandLine.Create().Parse(["replay", _corpus, "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        using JsonDocument replayed = JsonDocument.Parse(output.ToString());
        JsonElement messages = replayed.RootElement.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(error.ToString(), Is.Empty);
            Assert.That(exitCode, Is.EqualTo(0), output.ToString());
            Assert.That(messages.GetArrayLength(), Is.EqualTo(3));
            for (int i = 0; i < 3; i++)
            {
                Assert.That(messages[i].GetProperty("passed").GetBoolean(), Is.True, messages[i].ToString());
            }
        });
    }

    [Test]
    public async Task AWrongExactExpectation_FailsTheReplay()
    {
        string manifest = Path.Combine(_corpus, "manifest.yaml");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("192.0.2.53\" }", "192.0.2.54\" }", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await AuthFilterCommandLine.Create().Parse(["replay", _corpus, "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        using JsonDocument replayed = JsonDocument.Parse(output.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(replayed.RootElement.GetProperty("messages")[0].GetProperty("mismatches")[0].GetString(),
                Does.StartWith("reason: expected DMARC temperror: DNS error at _dmarc.flip.example: no answer from 192.0.2.54, got "));
        });
    }
}
