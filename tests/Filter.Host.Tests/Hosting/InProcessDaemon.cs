using System.Net;
using Filter.Host.Configuration;
using Filter.Host.Hosting;
using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Tests.Hosting;

/// <summary>
/// The <c>serve</c> daemon started in this process by <see cref="DaemonHostBuilder"/> (the code the
/// verb runs), on a free loopback port, with DNS from a zone file, a policy file in a temporary
/// folder, metrics on a free loopback port, and its log captured.
/// </summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    public const string DefaultPolicy = "authserv-id: mx.test\n";

    private InProcessDaemon(string directory, IHost host, CapturedLog log)
    {
        Directory = directory;
        Host = host;
        Log = log;
    }

    public string Directory { get; }

    public string PolicyPath => Path.Combine(Directory, "filter.yaml");

    public IHost Host { get; }

    public CapturedLog Log { get; }

    public MilterSocketSpec Socket => Host.Services.GetRequiredService<MilterHostedService>().BoundSockets[0];

    public MilterHostedService Milter => Host.Services.GetRequiredService<MilterHostedService>();

    public PolicyState Policy => Host.Services.GetRequiredService<PolicyState>();

    public IPEndPoint MetricsEndPoint => Host.Services.GetRequiredService<MetricsHostedService>().LocalEndPoint!;

    public static async Task<InProcessDaemon> StartAsync(string policy = DefaultPolicy, TimeSpan? drainTimeout = null, bool policyListen = false, string? directory = null, int? recordingSeed = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "authfilter-serve-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        string policyPath = Path.Combine(directory, "filter.yaml");
        string zonePath = Path.Combine(directory, "test.zone");
        await File.WriteAllTextAsync(policyPath, policy);
        await File.WriteAllTextAsync(zonePath, TestMail.Zone());
        var log = new CapturedLog();
        DaemonBuildResult built = DaemonHostBuilder.Build(
            new ServeOptions
            {
                ConfigPath = policyPath,
                Listen = policyListen ? [] : [MilterSocketSpec.Inet("127.0.0.1", 0)],
                ZoneFiles = [zonePath],
                DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(20),
                MetricsOverride = new IPEndPoint(IPAddress.Loopback, 0),
                RecordingSeed = recordingSeed,
            },
            new PolicyFileLoader("localhost"),
            logging => logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Debug));
        Assert.That(built.Errors, Is.Empty, "the daemon builds");
        await built.Host!.StartAsync();
        return new InProcessDaemon(directory, built.Host, log);
    }

    /// <summary>A client that has negotiated and sent CONNECT and HELO as an MTA would for <paramref name="clientAddress"/>.</summary>
    public async Task<MilterClient> ConnectAsync(string clientAddress = TestMail.GoodClient, string helo = "mail.good.example")
    {
        MilterClient client = await MilterClient.ConnectAsync(Socket, null, CancellationToken.None);
        await client.SendConnectAsync(new ConnectCommand("client.example", ConnectFamily.Inet, 40000, clientAddress), CancellationToken.None);
        await client.SendHeloAsync(helo, CancellationToken.None);
        return client;
    }

    /// <summary>Sends one message through a fresh connection and quits.</summary>
    public async Task<MilterMessageResult> SendAsync(byte[] message, string sender, string clientAddress = TestMail.GoodClient, IReadOnlyList<KeyValuePair<string, string>>? mailMacros = null)
    {
        await using MilterClient client = await ConnectAsync(clientAddress);
        MilterClientMessage parsed = MilterClientMessage.Parse(message, "<" + sender + ">", ["<bob@example.net>"]) with
        {
            Macros = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>
            {
                [MilterCommandCode.Mail] = mailMacros ?? [],
                [MilterCommandCode.EndOfMessage] = [new("i", "4AbCdE1234")],
            },
        };
        MilterMessageResult result = await client.SendMessageAsync(parsed, CancellationToken.None);
        await client.SendQuitAsync(CancellationToken.None);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
