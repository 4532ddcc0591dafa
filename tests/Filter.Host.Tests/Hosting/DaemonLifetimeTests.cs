using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using Filter.Host.Cli;
using Filter.Host.Configuration;
using Filter.Host.Hosting;
using Filter.Host.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Server;

namespace Filter.Host.Tests.Hosting;

/// <summary>The daemon's lifetime: policy reload (SIGHUP's method), drain on stop, metrics, bad configuration.</summary>
public sealed class DaemonLifetimeTests
{
    private const string QuarantinePolicy = "authserv-id: mx.test\nactions:\n  dmarc-reject: quarantine\n";

    [Test]
    public async Task ReloadWithAValidPolicyAppliesToNewMessagesWhileTheMessageInFlightFinishesOnTheOld()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync();
        await using MilterClient inFlight = await daemon.ConnectAsync(TestMail.StrangerClient);
        await StartMessageAsync(inFlight, "reject.example");

        await File.WriteAllTextAsync(daemon.PolicyPath, QuarantinePolicy);
        bool reloaded = daemon.Policy.Reload();

        MilterEndOfMessageReply old = await FinishMessageAsync(inFlight);
        MilterMessageResult fresh = await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);
        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.True);
            Assert.That(daemon.Log.Lines(1101), Has.Count.EqualTo(1));
            Assert.That((old.Decision as ReplyCodeResponse)?.Text, Does.StartWith("550 5.7.1 "), "started before the reload: old policy");
            Assert.That(fresh.Action, Is.EqualTo(MilterMessageAction.Accept), "started after the reload: new policy");
            Assert.That(fresh.QuarantineReason, Does.StartWith("DMARC fail for reject.example"));
        });
    }

    [Test]
    public async Task ReloadWithAnInvalidPolicyKeepsTheOldOneAndLogsTheErrors()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync(QuarantinePolicy);
        await using MilterClient open = await daemon.ConnectAsync(TestMail.StrangerClient);

        await File.WriteAllTextAsync(daemon.PolicyPath, "authserv-id: mx.test\nactions:\n  dmarc-reject: bounce\n");
        bool reloaded = daemon.Policy.Reload();

        MilterMessageResult result = await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);
        var errors = daemon.Log.Lines(1102);
        Assert.Multiple(() =>
        {
            Assert.That(reloaded, Is.False);
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors[0], Does.Contain("filter.yaml:3:"), "the error names file and line");
            Assert.That(errors[0], Does.Contain("bounce"));
            Assert.That(result.QuarantineReason, Is.Not.Null, "the old policy (quarantine) still applies");
        });

        // The connection opened before the failed reload still works.
        MilterMessageResult onOpen = await open.SendMessageAsync(
            MilterClientMessage.Parse(TestMail.Signed(TestMail.Message("good.example")), "<alice@good.example>", ["<bob@example.net>"]), CancellationToken.None);
        Assert.That(onOpen.Action, Is.EqualTo(MilterMessageAction.Accept));
    }

    [Test]
    public async Task StopDrainsTheMessageInFlightThenCloses()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync();
        await using MilterClient client = await daemon.ConnectAsync();
        using var dnsQueries = new DnsQueryCounter(daemon.Host.Services.GetRequiredService<FilterMetrics>().Meter);
        await StartMessageAsync(client, "good.example", signed: true);

        // The message commands need no reply (no-reply flags), so wait until the daemon has
        // processed them: the SPF query (MAIL FROM) and the DKIM key and DMARC queries (end of
        // headers) prove the message is in flight on the server's side before the stop begins.
        await dnsQueries.WaitForAtLeastAsync(3);
        Task stopping = daemon.Host.StopAsync();
        await WaitUntilRefusedAsync(daemon);
        Assert.That(stopping.IsCompleted, Is.False, "the stop waits for the message in flight");

        MilterEndOfMessageReply reply = await FinishMessageAsync(client);
        await stopping;
        Assert.Multiple(() =>
        {
            Assert.That(reply.Decision.Code, Is.EqualTo(MilterResponseCode.Continue));
            Assert.That(reply.Modifications.OfType<InsertHeaderResponse>().Single().Value, Does.Contain("dmarc=pass"));
            Assert.That(daemon.Milter.ActiveSessions, Is.Zero);
        });
    }

    [Test]
    public async Task MetricsEndpointServesTheCountersInPrometheusFormat()
    {
        await using InProcessDaemon daemon = await InProcessDaemon.StartAsync();
        await daemon.SendAsync(TestMail.Signed(TestMail.Message("good.example")), "alice@good.example");
        await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);
        await daemon.SendAsync(TestMail.Message("slow.example"), "alice@slow.example");
        await WaitUntilNoSessionsAsync(daemon);

        using var http = new HttpClient();
        HttpResponseMessage response = await http.GetAsync(new Uri($"http://{daemon.MetricsEndPoint}/metrics"));
        string text = await response.Content.ReadAsStringAsync();
        HttpResponseMessage missing = await http.GetAsync(new Uri($"http://{daemon.MetricsEndPoint}/other"));

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(text, Does.Contain("# TYPE authfilter_messages_total counter\n"));
            Assert.That(text, Does.Contain("authfilter_messages_total{verdict=\"accept\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_messages_total{verdict=\"reject\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_messages_total{verdict=\"tempfail\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"dkim\",result=\"pass\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"dmarc\",result=\"fail\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"dmarc\",result=\"temperror\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"spf\",result=\"fail\"} 1\n"));
            Assert.That(text, Does.Contain("# TYPE authfilter_eom_latency_seconds histogram\n"));
            Assert.That(text, Does.Contain("authfilter_eom_latency_seconds_bucket{le=\"+Inf\"} 3\n"));
            Assert.That(text, Does.Contain("authfilter_eom_latency_seconds_count 3\n"));
            Assert.That(text, Does.Contain("authfilter_dns_queries_total{type=\"TXT\"} "));
            Assert.That(text, Does.Contain("authfilter_dns_failures_total{status=\"timeout\"} "));
            // Every session of SendAsync quit; the gauge is back at zero.
            Assert.That(text, Does.Contain("# TYPE authfilter_sessions_open gauge\n"));
            Assert.That(text, Does.Contain("authfilter_sessions_open 0\n"));
            Assert.That((int)missing.StatusCode, Is.EqualTo(404));
        });
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix socket file modes")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ListensOnTheUnixSocketOfThePolicyWithItsModeAndRemovesItAtStop()
    {
        // Unix socket paths are short (108 bytes), so the folder sits right under the temp folder.
        string directory = Path.Combine(Path.GetTempPath(), "af-" + Guid.NewGuid().ToString("N")[..8]);
        string socket = Path.Combine(directory, "milter.sock");
        InProcessDaemon daemon = await InProcessDaemon.StartAsync(
            $"authserv-id: mx.test\nlisten:\n  - socket: unix:{socket}\n    mode: \"0660\"\n", policyListen: true, directory: directory);
        try
        {
            UnixFileMode mode = File.GetUnixFileMode(socket);
            MilterMessageResult result = await daemon.SendAsync(TestMail.Message("reject.example"), "alice@reject.example", TestMail.StrangerClient);

            Assert.Multiple(() =>
            {
                Assert.That(daemon.Socket, Is.EqualTo(MilterSocketSpec.Unix(socket)));
                Assert.That(mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite));
                Assert.That(result.ReplyText, Does.StartWith("550 5.7.1 "));
            });
            await daemon.Host.StopAsync();
            Assert.That(File.Exists(socket), Is.False, "the socket file is removed at stop");
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    [Test]
    public async Task ServeWithAnInvalidPolicyPrintsEachErrorAndExitsOne()
    {
        string directory = Path.Combine(Path.GetTempPath(), "authfilter-serve-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string file = Path.Combine(directory, "filter.yaml");
            await File.WriteAllTextAsync(file, "dns:\n  timeout: forever\nactions:\n  dmarc-reject: bounce\n");
            using var error = new StringWriter();

            int exit = await ServeCommand.RunAsync(new ServeOptions { ConfigPath = file }, new PolicyFileLoader("localhost"), error, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1));
                Assert.That(error.ToString(), Does.Contain(file + ":2:"));
                Assert.That(error.ToString(), Does.Contain(file + ":4:"));
                Assert.That(error.ToString(), Does.Contain("not started"));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task ServeWithABrokenZoneFileExitsOne()
    {
        string directory = Path.Combine(Path.GetTempPath(), "authfilter-serve-zone-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string policy = Path.Combine(directory, "filter.yaml");
            string zone = Path.Combine(directory, "bad.zone");
            await File.WriteAllTextAsync(policy, InProcessDaemon.DefaultPolicy);
            await File.WriteAllTextAsync(zone, "$ORIGIN example.org.\n@ TXT\n");
            using var error = new StringWriter();

            int exit = await ServeCommand.RunAsync(new ServeOptions { ConfigPath = policy, ZoneFiles = [zone] }, new PolicyFileLoader("localhost"), error, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1));
                Assert.That(error.ToString(), Does.Contain(zone + ":2:"));
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // MAIL, RCPT, DATA and the headers of a message, without its end: the message is in flight.
    private static async Task StartMessageAsync(MilterClient client, string fromDomain, bool signed = false)
    {
        byte[] message = TestMail.Message(fromDomain);
        MilterClientMessage parsed = MilterClientMessage.Parse(signed ? TestMail.Signed(message) : message, $"<alice@{fromDomain}>", ["<bob@example.net>"]);
        await client.SendMailAsync(parsed.Sender, [], CancellationToken.None);
        await client.SendRecipientAsync(parsed.Recipients[0], [], CancellationToken.None);
        await client.SendDataAsync(CancellationToken.None);
        foreach (HeaderCommand header in parsed.Headers)
        {
            // HDR_LEADSPC is negotiated: values go as they are, leading space included.
            await client.SendAsync(header, CancellationToken.None);
        }

        await client.SendEndOfHeadersAsync(CancellationToken.None);
        await client.SendBodyAsync(parsed.Body, CancellationToken.None);
    }

    private static Task<MilterEndOfMessageReply> FinishMessageAsync(MilterClient client) => client.SendEndOfMessageAsync(CancellationToken.None);

    // QUIT is not answered; the server closes the session right after, on its own task.
    private static async Task WaitUntilNoSessionsAsync(InProcessDaemon daemon)
    {
        for (int attempt = 0; attempt < 500 && daemon.Milter.ActiveSessions > 0; attempt++)
        {
            await Task.Delay(10);
        }

        Assert.That(daemon.Milter.ActiveSessions, Is.Zero, "every session closed");
    }

    // The stop closes the listener before it drains; a refused connection shows the drain has begun.
    private static async Task WaitUntilRefusedAsync(InProcessDaemon daemon)
    {
        var endPoint = daemon.Socket.ToEndPoint();
        for (int attempt = 0; attempt < 500; attempt++)
        {
            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(endPoint);
            }
            catch (SocketException)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("the listener never closed");
    }
    /// <summary>Counts the daemon's DNS queries through its own meter (no timing involved).</summary>
    private sealed class DnsQueryCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public DnsQueryCounter(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "authfilter_dns_queries_total")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public async Task WaitForAtLeastAsync(long queries)
        {
            for (int attempt = 0; attempt < 1000 && Interlocked.Read(ref _count) < queries; attempt++)
            {
                await Task.Delay(5);
            }

            Assert.That(Interlocked.Read(ref _count), Is.GreaterThanOrEqualTo(queries), "the daemon never looked up the message's DNS");
        }

        public void Dispose() => _listener.Dispose();
    }
}
