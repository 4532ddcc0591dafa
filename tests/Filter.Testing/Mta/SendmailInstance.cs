using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Filter.Testing.Mta;

/// <summary>
/// A private Sendmail 8.17 on loopback for end-to-end tests, run from Debian's packages unpacked
/// beside Postfix (the packages conflict; milter reference §18). Its sendmail.cf is built by m4
/// from a small test .mc (own queue folder, pid and status files, a free 127.0.0.1 port, a local
/// mailer that writes each message to <see cref="Mailbox"/>) and <c>samples/sendmail/authfilter.mc</c>
/// as it is, with only the socket replaced. It runs in the foreground (<c>-bD</c>) under a UTS
/// namespace whose host name is fully qualified: with an unqualified host name Sendmail sleeps
/// 60 seconds at start. Quarantined messages stay in the queue folder as <c>hf</c> files.
/// </summary>
public sealed class SendmailInstance : IAsyncDisposable
{
    /// <summary>The socket written in the sample .mc, replaced by the test's milter.</summary>
    public const string SampleMilterSocket = "inet:8891@127.0.0.1";

    /// <summary>The environment variable naming the unpacked tree (default /opt/authfilter-sendmail).</summary>
    public const string RootVariable = "AUTHFILTER_SENDMAIL_ROOT";

    /// <summary>The host name (and so the local mail domain) of every instance.</summary>
    public const string HostName = "sendmail.authfilter.test";

    private readonly string _directory;
    private readonly string _sendmail;
    private readonly string _cf;
    private Process? _daemon;

    private SendmailInstance(string packageRoot, string directory, int port)
    {
        _directory = directory;
        _sendmail = Path.Combine(packageRoot, "usr", "libexec", "sendmail", "sendmail");
        _cf = Path.Combine(directory, "sendmail.cf");
        SmtpEndPoint = new IPEndPoint(IPAddress.Loopback, port);
        Mailbox = new MtaMailbox(Path.Combine(directory, "mail"));
    }

    /// <summary>Where the daemon listens.</summary>
    public IPEndPoint SmtpEndPoint { get; }

    /// <summary>Delivered messages, one file each.</summary>
    public MtaMailbox Mailbox { get; }

    /// <summary>A recipient delivered by the test mailer (root exists in every passwd file).</summary>
    public static string Recipient => "root@" + HostName;

    /// <summary>The generated sendmail.cf.</summary>
    public string ConfigFile => _cf;

    /// <summary>The unpacked package tree.</summary>
    public static string PackageRoot => Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root ? root : "/opt/authfilter-sendmail";

    /// <summary>Why a Sendmail instance cannot run here, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Sendmail end-to-end tests run on Linux only";
        }

        if (!File.Exists(Path.Combine(PackageRoot, "usr", "libexec", "sendmail", "sendmail")))
        {
            return $"Sendmail is not unpacked in {PackageRoot} (.ci/run unpacks sendmail-bin, sendmail-base, sendmail-cf there; or set {RootVariable})";
        }

        if (MtaProcess.Find("m4") is null || MtaProcess.Find("unshare") is null)
        {
            return "m4 and unshare are needed to build sendmail.cf and give Sendmail a qualified host name";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "a private Sendmail daemon needs root";
        }

        return null;
    }

    /// <summary>Builds the .cf from the test .mc and <paramref name="sampleMc"/>, and starts the daemon.</summary>
    public static Task<SendmailInstance> StartAsync(string sampleMc, IPEndPoint milter, CancellationToken cancellationToken) =>
        StartAsync(sampleMc, milter, null, cancellationToken);

    /// <summary>
    /// Builds the .cf from the test .mc and <paramref name="sampleMc"/>, and starts the daemon. With
    /// <paramref name="sasl"/>, the daemon also offers SMTP AUTH (PLAIN, LOGIN; Cyrus SASL with a
    /// sasldb of the instance's own, see <see cref="CyrusSasl"/>) and accepts that one login.
    /// </summary>
    public static async Task<SendmailInstance> StartAsync(string sampleMc, IPEndPoint milter, SaslAccount? sasl, CancellationToken cancellationToken)
    {
        // Under the package tree, not /tmp: Sendmail refuses alias and queue files below a
        // world-writable folder (DontBlameSendmail=safe).
        string directory = Path.Combine(PackageRoot, "var", "instances", Guid.NewGuid().ToString("N"));
        var instance = new SendmailInstance(PackageRoot, directory, MtaProcess.FreeLoopbackPort());
        try
        {
            await instance.ConfigureAsync(sampleMc, milter, sasl, cancellationToken).ConfigureAwait(false);
            instance.StartDaemon();
            await MtaProcess.WaitForListenerAsync(instance.SmtpEndPoint.Port, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return instance;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            string state = instance._daemon is { HasExited: true } daemon
                ? $"the daemon exited with status {daemon.ExitCode}"
                : "the daemon is running but not listening";
            await instance.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Sendmail did not start: {state} (it logs only to syslog)", exception);
        }
    }

    /// <summary>
    /// Waits for a quarantined message (an <c>hf</c> queue file) containing <paramref name="marker"/>
    /// and returns it with its reason (the qf/hf file's <c>q</c> line).
    /// </summary>
    /// <exception cref="TimeoutException">No such message was quarantined within <paramref name="bound"/>.</exception>
    public async Task<MtaQueuedMessage> WaitForQuarantinedMessageAsync(string marker, TimeSpan bound, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + bound;
        string queue = Path.Combine(_directory, "queue");
        while (true)
        {
            foreach (string file in Directory.EnumerateFiles(queue, "hf*"))
            {
                MtaQueuedMessage message = ReadQuarantined(file);
                if (message.Text.Contains(marker, StringComparison.Ordinal))
                {
                    return message;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"no message containing '{marker}' was quarantined");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The quarantine listing as an admin sees it (<c>mailq -qQ</c>).</summary>
    public Task<string> ListQuarantineAsync(CancellationToken cancellationToken) =>
        RunSendmailAsync(["-bp", "-qQ"], cancellationToken);

    /// <summary>Stops the daemon (SIGTERM, which Sendmail passes on to its children) and removes the instance folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            if (!_daemon.HasExited)
            {
                await MtaProcess.RunAsync("kill", ["-TERM", _daemon.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None).ConfigureAwait(false);
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _daemon.WaitForExitAsync(bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _daemon.Kill(entireProcessTree: true);
                }
            }

            _daemon.Dispose();
            _daemon = null;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A delivery child that is still exiting may hold a file for a moment; the folder is left.
        }
    }

    private static MtaQueuedMessage ReadQuarantined(string hfFile)
    {
        // Queue file lines (sendmail/queue.c): 'q' quarantine reason, 'H' header lines
        // ("H??Name: value", continuation lines start with whitespace); the body is in df<qid>.
        string queueId = Path.GetFileName(hfFile)[2..];
        string? reason = null;
        var text = new StringBuilder();
        bool inHeader = false;
        foreach (string line in File.ReadAllLines(hfFile, Encoding.Latin1))
        {
            if (line.StartsWith('q'))
            {
                reason = line[1..];
                inHeader = false;
            }
            else if (line.StartsWith('H'))
            {
                int end = line.IndexOf('?', 2);
                text.Append(end > 0 && line.Length > 1 && line[1] == '?' ? line[(end + 1)..] : line[1..]).Append('\n');
                inHeader = true;
            }
            else if (inHeader && line.Length > 0 && char.IsWhiteSpace(line[0]))
            {
                text.Append(line).Append('\n');
            }
            else
            {
                inHeader = false;
            }
        }

        string body = Path.Combine(Path.GetDirectoryName(hfFile)!, "df" + queueId);
        text.Append('\n').Append(File.Exists(body) ? File.ReadAllText(body, Encoding.Latin1) : string.Empty);
        return new MtaQueuedMessage(queueId, "quarantine", reason, text.ToString());
    }

    private async Task ConfigureAsync(string sampleMc, IPEndPoint milter, SaslAccount? sasl, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the MTA harness runs on Linux only");
        }

        string queue = Path.Combine(_directory, "queue");
        Directory.CreateDirectory(queue);
        Directory.CreateDirectory(Mailbox.Directory);
        File.SetUnixFileMode(queue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // The local mailer: each message to its own file, written under a temporary name first.
        string deliver = Path.Combine(_directory, "deliver.sh");
        await File.WriteAllTextAsync(deliver,
            "#!/bin/sh\nf=\"" + Mailbox.Directory + "/$(date +%s%N).$$\"\ncat > \"$f.tmp\" && mv \"$f.tmp\" \"$f.eml\"\n",
            cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(deliver, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllTextAsync(Path.Combine(_directory, "aliases"), "postmaster: root\n", cancellationToken).ConfigureAwait(false);

        string socket = string.Create(CultureInfo.InvariantCulture, $"inet:{milter.Port}@{milter.Address}");
        string sample = (await File.ReadAllTextAsync(sampleMc, cancellationToken).ConfigureAwait(false))
            .Replace(SampleMilterSocket, socket, StringComparison.Ordinal);
        (string authOptions, string authLocalConfig) = sasl is null ? (string.Empty, string.Empty) : await SaslMcAsync(sasl, cancellationToken).ConfigureAwait(false);
        string cfDirectory = Path.Combine(PackageRoot, "usr", "share", "sendmail", "cf") + "/";
        string mc = $"""
            divert(-1)
            Test instance for the authfilter end-to-end tests (generated).
            divert(0)dnl
            OSTYPE(`linux')dnl
            define(`confDOMAIN_NAME', `{HostName}')dnl
            define(`QUEUE_DIR', `{queue}')dnl
            define(`confPID_FILE', `{Path.Combine(_directory, "sendmail.pid")}')dnl
            define(`STATUS_FILE', `{Path.Combine(_directory, "statistics")}')dnl
            define(`ALIAS_FILE', `{Path.Combine(_directory, "aliases")}')dnl
            define(`confDONT_BLAME_SENDMAIL', `safe')dnl
            define(`confDONT_PROBE_INTERFACES', `true')dnl
            define(`confTO_IDENT', `0s')dnl
            define(`confDELIVERY_MODE', `background')dnl
            dnl A shared CI machine's load average is no reason to refuse or queue test mail.
            define(`confREFUSE_LA', `10000')dnl
            define(`confQUEUE_LA', `10000')dnl
            define(`confDELAY_LA', `0')dnl
            define(`LOCAL_MAILER_PATH', `{deliver}')dnl
            define(`LOCAL_MAILER_ARGS', `deliver.sh $u')dnl
            FEATURE(`no_default_msa')dnl
            FEATURE(`nocanonify')dnl
            FEATURE(`accept_unresolvable_domains')dnl
            DAEMON_OPTIONS(`Port={SmtpEndPoint.Port}, Addr=127.0.0.1, Name=MTA')dnl
            MODIFY_MAILER_FLAGS(`LOCAL', `-w')dnl

            """ + authOptions + sample + """

            MAILER(`local')dnl
            MAILER(`smtp')dnl

            """ + authLocalConfig;
        string mcFile = Path.Combine(_directory, "test.mc");
        await File.WriteAllTextAsync(mcFile, mc, cancellationToken).ConfigureAwait(false);
        string cf = await MtaProcess.RunAsync("m4", ["-D_CF_DIR_=" + cfDirectory, cfDirectory + "m4/cf.m4", mcFile], cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(_cf, cf, cancellationToken).ConfigureAwait(false);
        await RunSendmailAsync(["-bi"], cancellationToken).ConfigureAwait(false);
    }

    // SMTP AUTH on this instance only (cf/README, "SMTP AUTH"): Sendmail starts Cyrus SASL as the
    // application "Sendmail", which reads Sendmail.conf from the SASL config path. Sendmail replaces
    // its own environment at start, so SASL_CONF_PATH set by the caller never reaches libsasl2
    // (strace: only /etc/sasl2, /etc/sasl, /usr/lib/<arch>/sasl2 and /usr/lib/sasl2 were searched);
    // the .cf's E line sets it inside sendmail, before the daemon starts SASL. The sasldb stays
    // root-only: Sendmail's SMTP server runs as root and refuses group-readable SASL files unless
    // DontBlameSendmail says otherwise.
    private async Task<(string Options, string LocalConfig)> SaslMcAsync(SaslAccount sasl, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(_directory, "sasl");
        await CyrusSasl.WriteAsync(directory, "Sendmail", sasl, null, cancellationToken).ConfigureAwait(false);
        string options = $"""
            dnl SMTP AUTH for the tests: PLAIN and LOGIN (no TLS on loopback), trusted for relaying.
            define(`confAUTH_MECHANISMS', `PLAIN LOGIN')dnl
            TRUST_AUTH_MECH(`PLAIN LOGIN')dnl
            define(`confAUTH_REALM', `{sasl.Realm}')dnl

            """;
        string localConfig = $"""
            LOCAL_CONFIG
            ESASL_CONF_PATH={directory}

            """;
        return (options, localConfig);
    }

    private void StartDaemon()
    {
        var start = new ProcessStartInfo("unshare")
        {
            UseShellExecute = false,
        };

        // unshare without --fork execs, so the process id is the daemon's; -q5s retries deferred mail.
        foreach (string argument in (string[])["--uts", "sh", "-c", $"hostname {HostName} && exec \"$0\" -C \"$1\" -bD -q5s", _sendmail, _cf])
        {
            start.ArgumentList.Add(argument);
        }

        _daemon = Process.Start(start) ?? throw new InvalidOperationException("could not start sendmail");
    }

    private Task<string> RunSendmailAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        MtaProcess.RunAsync("unshare", ["--uts", "sh", "-c", $"hostname {HostName} && cf=\"$1\" && shift && exec \"$0\" -C \"$cf\" \"$@\"", _sendmail, _cf, .. arguments], cancellationToken);
}
