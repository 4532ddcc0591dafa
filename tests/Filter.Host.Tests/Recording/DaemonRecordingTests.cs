using System.CommandLine;
using System.Text;
using System.Text.Json;
using Filter.Host.Cli;
using Filter.Host.Tests.Hosting;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Tests.Recording;

/// <summary>
/// Issue 6 item 6 in the daemon: the in-process daemon (zone DNS) records live milter traffic into its
/// recording folder, and <c>authfilter replay FOLDER</c> reproduces every recorded verdict, each method's
/// result and reason (our Authentication-Results header, exactly) and the SMTP reply; sampling with a
/// fixed seed picks the expected messages; entries are owner-only; an unusable folder changes nothing
/// about the verdict and is logged.
/// </summary>
public sealed class DaemonRecordingTests
{
    private const string Recipient = "<bob@example.net>";
    private string _root = string.Empty;

    [SetUp]
    public void ChooseFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "authfilter-recordlive-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string RecordingDirectory => Path.Combine(_root, "recordings");

    [Test]
    public async Task RecordedLiveTraffic_ReplaysToTheSameVerdictsResultsReasonsAndHeader()
    {
        var sent = new List<(string Name, MilterMessageResult Result)>();
        await using (InProcessDaemon daemon = await InProcessDaemon.StartAsync(RecordingPolicy(1), directory: Path.Combine(_root, "daemon")))
        {
            sent.Add(("pass", await daemon.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example")));
            sent.Add(("fail", await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient)));
            sent.Add(("timeout", await daemon.SendAsync(TestMail.Message("slow.example"), "alice@slow.example")));
            sent.Add(("submitter", await daemon.SendAsync(
                TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient, [new("{auth_authen}", "alice")])));
            sent.Add(("large", await SendLargeAsync(daemon)));
        }

        var (exitCode, output, error) = await ReplayAsync(RecordingDirectory);
        using JsonDocument replayed = JsonDocument.Parse(output);
        JsonElement messages = replayed.RootElement.GetProperty("messages");
        string manifest = await File.ReadAllTextAsync(Path.Combine(RecordingDirectory, "manifest.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Empty);
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(messages.GetArrayLength(), Is.EqualTo(sent.Count));
            // What was sent is what the scenario says, so "the same" is not "the same nothing".
            Assert.That(sent.ConvertAll(s => s.Result.Action), Is.EqualTo(new[]
            {
                MilterMessageAction.Accept, MilterMessageAction.Reject, MilterMessageAction.TempFail, MilterMessageAction.Accept, MilterMessageAction.Accept,
            }));
            // Each entry names its own zone and the policy in force (authserv-id mx.test, not this host's name).
            Assert.That(Count(manifest, "    zones: [zones/"), Is.EqualTo(sent.Count));
            Assert.That(Count(manifest, "    policy: \"policies/policy-"), Is.EqualTo(sent.Count));
            Assert.That(Directory.GetFiles(Path.Combine(RecordingDirectory, "messages"), "*.partial"), Is.Empty, "no partial file is left");
        });

        for (int i = 0; i < sent.Count; i++)
        {
            (string name, MilterMessageResult result) = sent[i];
            JsonElement entry = messages[i];
            JsonElement outcome = entry.GetProperty("outcome");
            Assert.Multiple(() =>
            {
                Assert.That(entry.GetProperty("passed").GetBoolean(), Is.True, name + ": " + entry.GetProperty("mismatches"));
                Assert.That(outcome.GetProperty("verdict").GetString(), Is.EqualTo(VerdictOf(result)), name);
                // Our header, exactly as the daemon inserted it (milter values fold with LF and start with the space).
                Assert.That(outcome.GetProperty("authenticationResults").GetString()!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart(),
                    Is.EqualTo(InsertedAuthenticationResults(result).TrimStart()), name);
                if (result.ReplyText is { } reply)
                {
                    Assert.That(reply, Is.EqualTo(outcome.GetProperty("reply").GetProperty("line").GetString()), name);
                }
            });
        }

        JsonElement spf = messages[0].GetProperty("outcome").GetProperty("spf");
        JsonElement dkim = messages[4].GetProperty("outcome").GetProperty("dkim")[0];
        JsonElement dmarc = messages[2].GetProperty("outcome").GetProperty("dmarc");
        Assert.Multiple(() =>
        {
            // The reasons travel inside the header that matched exactly; spot-check that they are there.
            Assert.That(InsertedAuthenticationResults(sent[0].Result), Does.Contain("spf=pass"));
            Assert.That(spf.GetProperty("result").GetString(), Is.EqualTo("pass"));
            Assert.That(dkim.GetProperty("result").GetString(), Is.EqualTo("pass"), "the 300 KB body was recorded byte for byte");
            Assert.That(dmarc.GetProperty("result").GetString(), Is.EqualTo("temperror"));
            Assert.That(InsertedAuthenticationResults(sent[2].Result), Does.Contain("dmarc=temperror"));
        });
    }

    [Test]
    public async Task SampleRateOneHalfWithAFixedSeed_RecordsTheSeededSubset()
    {
        const int seed = 20261125;
        const int count = 10;
        await using (InProcessDaemon daemon = await InProcessDaemon.StartAsync(RecordingPolicy(0.5), directory: Path.Combine(_root, "daemon"), recordingSeed: seed))
        {
            for (int i = 0; i < count; i++)
            {
                await daemon.SendAsync(TestMail.Message("good.example", $"X-Sequence: {i}\r\n"), "alice@good.example");
            }
        }

        // One draw per message at MAIL FROM, in order, from Random(seed): record when below the rate.
        var random = new Random(seed);
        var expected = new List<string>();
        for (int i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.5)
            {
                expected.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var recorded = new List<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RecordingDirectory, "messages"), "*.eml").Order(StringComparer.Ordinal))
        {
            string text = await File.ReadAllTextAsync(file);
            int at = text.IndexOf("X-Sequence: ", StringComparison.Ordinal) + "X-Sequence: ".Length;
            recorded.Add(text[at..text.IndexOf('\r', at)]);
        }

        var (exitCode, output, _) = await ReplayAsync(RecordingDirectory);
        Assert.Multiple(() =>
        {
            Assert.That(expected, Has.Count.InRange(1, count - 1), "the seed gives a proper subset");
            Assert.That(recorded, Is.EqualTo(expected));
            Assert.That(exitCode, Is.EqualTo(0), output);
        });
    }

    [Test]
    public async Task RecordingFolderAndFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes do not exist on Windows.");
        }

        await using (InProcessDaemon daemon = await InProcessDaemon.StartAsync(RecordingPolicy(1), directory: Path.Combine(_root, "daemon")))
        {
            await daemon.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example");
        }

        const UnixFileMode folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        string[] files =
        [
            .. Directory.GetFiles(Path.Combine(RecordingDirectory, "messages")),
            .. Directory.GetFiles(Path.Combine(RecordingDirectory, "zones")),
            .. Directory.GetFiles(Path.Combine(RecordingDirectory, "policies")),
            Path.Combine(RecordingDirectory, "manifest.yaml"),
        ];
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Length.EqualTo(4));
            foreach (string path in new[] { "", "messages", "zones", "policies" })
            {
                Assert.That(Mode(Path.Combine(RecordingDirectory, path)), Is.EqualTo(folder), "folder " + path);
            }

            foreach (string path in files)
            {
                Assert.That(Mode(path), Is.EqualTo(file), path);
            }
        });
    }

    [Test]
    public async Task UnusableRecordingFolder_TheMessageIsJudgedAsUsualAndTheFailureLogged()
    {
        // Below a regular file no folder can be made, even by root (for whom permission bits mean nothing).
        string blocker = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        string policy = InProcessDaemon.DefaultPolicy + $"recording:\n  enabled: true\n  directory: \"{Path.Combine(blocker, "recordings")}\"\n";
        MilterMessageResult pass, fail;
        IReadOnlyList<string> failures, judged;
        await using (InProcessDaemon daemon = await InProcessDaemon.StartAsync(policy, directory: Path.Combine(_root, "daemon")))
        {
            pass = await daemon.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example");
            fail = await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);
            failures = daemon.Log.Lines(1010);
            judged = daemon.Log.Lines(1000);
        }

        Assert.Multiple(() =>
        {
            Assert.That(pass.Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(InsertedAuthenticationResults(pass), Does.Contain("mx.test;").And.Contain("dmarc=pass"));
            Assert.That(fail.Action, Is.EqualTo(MilterMessageAction.Reject));
            Assert.That(fail.ReplyText, Does.StartWith("550 5.7.1 "));
            Assert.That(failures, Has.Count.EqualTo(2));
            Assert.That(failures[0], Does.Contain("not recorded").And.Contain("judged as usual"));
            Assert.That(judged, Has.Count.EqualTo(2), "both messages got their summary line");
        });
    }

    private string RecordingPolicy(double rate) =>
        InProcessDaemon.DefaultPolicy
        + "recording:\n  enabled: true\n  directory: \"" + RecordingDirectory + "\"\n"
        + "  sample-rate: " + rate.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";

    // 300 KB of body, signed, with a folded header, sent in 16 KB body chunks as an MTA would.
    private static async Task<MilterMessageResult> SendLargeAsync(InProcessDaemon daemon)
    {
        var body = new StringBuilder();
        for (int line = 0; body.Length < 300 * 1024; line++)
        {
            body.Append("Line ").Append(line).Append(": the quick brown fox jumps over the lazy dog, again and again.\r\n");
        }

        byte[] message = Encoding.ASCII.GetBytes(
            "From: Alice <alice@good.example>\r\nTo: Bob <bob@example.net>\r\nSubject: a long\r\n\tfolded subject\r\n"
            + "Date: Wed, 25 Nov 2026 21:00:00 +0000\r\nMessage-ID: <large@good.example>\r\n\r\n" + body);
        await using MilterClient client = await daemon.ConnectAsync();
        MilterClientMessage parsed = MilterClientMessage.Parse(TestMail.Signed(message), "<alice@good.example>", [Recipient]) with
        {
            ChunkSize = 16 * 1024,
            Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
            {
                [MilterCommandCode.EndOfMessage] = [new("i", "4LaRgE0001")],
            },
        };
        MilterMessageResult result = await client.SendMessageAsync(parsed, CancellationToken.None);
        await client.SendQuitAsync(CancellationToken.None);
        return result;
    }

    private static async Task<(int ExitCode, string Output, string Error)> ReplayAsync(string directory)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await AuthFilterCommandLine.Create().Parse(["replay", directory, "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string VerdictOf(MilterMessageResult result) => result.Action switch
    {
        MilterMessageAction.Reject => "reject",
        MilterMessageAction.TempFail => "tempfail",
        _ => result.QuarantineReason is null ? "accept" : "quarantine",
    };

    private static string InsertedAuthenticationResults(MilterMessageResult result)
    {
        foreach (MilterResponse edit in result.HeaderEdits)
        {
            if (edit is InsertHeaderResponse { Name: "Authentication-Results" } insert)
            {
                return insert.Value;
            }
        }

        return "(none inserted)";
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    // The test ignores itself on Windows first; the guard only tells the platform analyzer so.
    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
}
