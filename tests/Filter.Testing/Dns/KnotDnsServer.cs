using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;

namespace Filter.Testing.Dns;

/// <summary>
/// A private Knot DNS (Debian package <c>knot</c>) authoritative server on 127.0.0.1, for end-to-end
/// tests: writes a config and the given zone files to a temporary folder, starts <c>knotd</c> in the
/// foreground on a free port with its own rundir, storage and pidfile (no system service), waits
/// until every zone answers its SOA, and kills the process and deletes the folder on dispose.
/// </summary>
public sealed class KnotDnsServer : IDisposable
{
    private static readonly string[] SearchFolders = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log;

    private KnotDnsServer(Process process, string folder, StringBuilder log, IPEndPoint endPoint)
    {
        _process = process;
        _folder = folder;
        _log = log;
        EndPoint = endPoint;
    }

    /// <summary>Where the server answers, UDP and TCP.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>What knotd wrote so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// The knotd binary, or null when the package is not installed. The environment variable KNOTD,
    /// when set, names the binary instead (a build elsewhere; or a missing path, to see the skip).
    /// </summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("KNOTD") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? chosen : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(SearchFolders))
        {
            var candidate = Path.Combine(folder, "knotd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Starts knotd serving <paramref name="zones"/>: zone apex (e.g. <c>example.test</c>) to the
    /// text of its RFC 1035 master file (relative names are relative to the apex).
    /// </summary>
    public static async Task<KnotDnsServer> StartAsync(IReadOnlyDictionary<string, string> zones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var executable = FindExecutable() ?? throw new InvalidOperationException("knotd not installed (Debian package knot)");
        var lastFailure = string.Empty;

        // A free port can be taken by someone else between our probe and knotd's bind: try again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var folder = Directory.CreateTempSubdirectory("authfilter-knot-").FullName;
            var port = FreeLoopbackPort();
            var configPath = WriteConfiguration(folder, port, zones);
            var log = new StringBuilder();
            var process = StartProcess(executable, configPath, log);
            var server = new KnotDnsServer(process, folder, log, new IPEndPoint(IPAddress.Loopback, port));
            var answering = false;
            try
            {
                answering = await server.WaitUntilAnsweringAsync(zones.Keys, cancellationToken).ConfigureAwait(false);
                if (answering)
                {
                    return server;
                }

                lastFailure = server.Log;
            }
            finally
            {
                if (!answering)
                {
                    server.Dispose();
                }
            }
        }

        throw new InvalidOperationException("knotd did not start answering:\n" + lastFailure);
    }

    /// <summary>Kills the server now (the tests use this to prove an answer came from the cache).</summary>
    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // The process already ended and was reaped: nothing left to stop.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test result must not depend on it.
        }
    }

    private static string WriteConfiguration(string folder, int port, IReadOnlyDictionary<string, string> zones)
    {
        var run = Directory.CreateDirectory(Path.Combine(folder, "run")).FullName;
        var storage = Directory.CreateDirectory(Path.Combine(folder, "db")).FullName;
        var zoneFolder = Directory.CreateDirectory(Path.Combine(folder, "zones")).FullName;

        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"""
            server:
                rundir: "{run}"
                pidfile: "{run}/knot.pid"
                listen: 127.0.0.1@{port}
                udp-workers: 1
                tcp-workers: 1
                background-workers: 1
                identity: ""
                version: ""
                nsid: ""
            control:
                listen: "{run}/knot.sock"
            log:
              - target: stderr
                any: info
            database:
                storage: "{storage}"
            template:
              - id: default
                storage: "{zoneFolder}"
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: none
            zone:

            """);
        foreach (var (apex, text) in zones)
        {
            var fileName = apex.TrimEnd('.') + ".zone";
            File.WriteAllText(Path.Combine(zoneFolder, fileName), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            config.Append(CultureInfo.InvariantCulture, $"  - domain: {apex.TrimEnd('.')}.\n    file: \"{fileName}\"\n");
        }

        var configPath = Path.Combine(folder, "knot.conf");
        File.WriteAllText(configPath, config.ToString());
        return configPath;
    }

    private static Process StartProcess(string executable, string configPath, StringBuilder log)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task<bool> WaitUntilAnsweringAsync(IEnumerable<string> apexes, CancellationToken cancellationToken)
    {
        var probe = new LookupClient(new LookupClientOptions(EndPoint)
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(250),
            Retries = 0,
            ThrowDnsErrors = false,
        });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var apex in apexes)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Log.Contains("zone event 'load' failed", StringComparison.Ordinal))
                {
                    // A zone that does not load will not load on the next port either.
                    throw new InvalidOperationException($"knotd could not load zone {apex}:\n{Log}");
                }

                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    return false;
                }

                try
                {
                    var response = await probe.QueryAsync(apex, QueryType.SOA, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                    if (!response.HasError && response.Answers.Count > 0)
                    {
                        break;
                    }
                }
                catch (DnsResponseException)
                {
                    // Not listening yet: ask again shortly.
                }

                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    private static int FreeLoopbackPort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // The TCP side of this port is taken: pick another.
            }
        }
    }
}
