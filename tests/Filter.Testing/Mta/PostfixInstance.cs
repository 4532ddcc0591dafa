using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Filter.Testing.Mta;

/// <summary>
/// A private Postfix on loopback for end-to-end tests: its own config, queue and data folders
/// under a temporary folder, smtpd on a free 127.0.0.1 port, mail for <see cref="Domain"/>
/// delivered by virtual(8) into a Maildir (<see cref="Mailbox"/>). The milter hookup is
/// <c>samples/postfix/main.cf.authfilter</c> applied line by line as it is, with only the socket
/// address replaced, so the documented hookup is the tested one. No system service is touched.
/// Needs Debian's postfix package and root (Postfix's master runs as root and drops privileges).
/// </summary>
public sealed class PostfixInstance : IAsyncDisposable
{
    /// <summary>The socket address written in the sample file, replaced by the test's milter.</summary>
    public const string SampleMilterSocket = "inet:127.0.0.1:8891";

    /// <summary>The virtual mail domain this instance delivers locally.</summary>
    public const string Domain = "example.test";

    private const string HostName = "postfix.authfilter.test";

    private readonly string _root;
    private readonly string _configDirectory;
    private bool _started;

    private PostfixInstance(string root, int port)
    {
        _root = root;
        _configDirectory = Path.Combine(root, "conf");
        SmtpEndPoint = new IPEndPoint(IPAddress.Loopback, port);
        Mailbox = new MtaMailbox(Path.Combine(root, "mail", "maildir", "new"));
    }

    /// <summary>Where smtpd listens.</summary>
    public IPEndPoint SmtpEndPoint { get; }

    /// <summary>Delivered messages, one file each.</summary>
    public MtaMailbox Mailbox { get; }

    /// <summary>A recipient this instance delivers to <see cref="Mailbox"/>.</summary>
    public static string Recipient => "bob@" + Domain;

    /// <summary>The instance's config folder (for <c>postconf -c</c>).</summary>
    public string ConfigDirectory => _configDirectory;

    /// <summary>Why a Postfix instance cannot run here, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Postfix end-to-end tests run on Linux only";
        }

        if (MtaProcess.Find("postfix") is null || MtaProcess.Find("postconf") is null)
        {
            return "Postfix is not installed (Debian package postfix; .ci/run installs it)";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "a private Postfix instance needs root (its master process drops privileges itself)";
        }

        return null;
    }

    /// <summary>
    /// Creates, configures and starts an instance whose smtpd hands mail to the milter at
    /// <paramref name="milter"/>, configured from <paramref name="sampleMainCf"/>.
    /// </summary>
    public static Task<PostfixInstance> StartAsync(string sampleMainCf, IPEndPoint milter, CancellationToken cancellationToken) =>
        StartAsync(sampleMainCf, milter, null, cancellationToken);

    /// <summary>
    /// Creates, configures and starts an instance whose smtpd hands mail to the milter at
    /// <paramref name="milter"/>, configured from <paramref name="sampleMainCf"/>. With
    /// <paramref name="sasl"/>, smtpd also offers SMTP AUTH (PLAIN, LOGIN; Cyrus SASL with a
    /// sasldb of the instance's own, see <see cref="CyrusSasl"/>) and accepts that one login.
    /// </summary>
    public static async Task<PostfixInstance> StartAsync(string sampleMainCf, IPEndPoint milter, SaslAccount? sasl, CancellationToken cancellationToken)
    {
        string root = Directory.CreateTempSubdirectory("authfilter-postfix-").FullName;
        var instance = new PostfixInstance(root, MtaProcess.FreeLoopbackPort());
        try
        {
            await instance.ConfigureAsync(sampleMainCf, milter, sasl, cancellationToken).ConfigureAwait(false);
            await MtaProcess.RunAsync("postfix", ["-c", instance._configDirectory, "start"], cancellationToken).ConfigureAwait(false);
            instance._started = true;
            await MtaProcess.WaitForListenerAsync(instance.SmtpEndPoint.Port, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return instance;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            string log = instance.ReadLog();
            await instance.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("Postfix did not start. Its log:\n" + log, exception);
        }
    }

    /// <summary>The value of a parameter as this instance sees it (<c>postconf -h</c>).</summary>
    public async Task<string> GetParameterAsync(string name, CancellationToken cancellationToken) =>
        (await MtaProcess.RunAsync("postconf", ["-c", _configDirectory, "-h", name], cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>
    /// Waits for a message containing <paramref name="marker"/> in the hold queue (where a milter's
    /// QUARANTINE puts it) and returns it. Postfix does not keep the quarantine reason.
    /// </summary>
    /// <exception cref="TimeoutException">No such message was held within <paramref name="bound"/>.</exception>
    public async Task<MtaQueuedMessage> WaitForHeldMessageAsync(string marker, TimeSpan bound, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + bound;
        while (true)
        {
            foreach (MtaQueuedMessage message in await ListQueueAsync(cancellationToken).ConfigureAwait(false))
            {
                if (message.QueueName == "hold" && message.Text.Contains(marker, StringComparison.Ordinal))
                {
                    return message;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"no message containing '{marker}' reached the hold queue");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every queued message (<c>postqueue -j</c>), with its text (<c>postcat -hbq</c>).</summary>
    public async Task<IReadOnlyList<MtaQueuedMessage>> ListQueueAsync(CancellationToken cancellationToken)
    {
        string json = await MtaProcess.RunAsync("postqueue", ["-c", _configDirectory, "-j"], cancellationToken).ConfigureAwait(false);
        var messages = new List<MtaQueuedMessage>();
        foreach (string line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            string queueId = document.RootElement.GetProperty("queue_id").GetString() ?? string.Empty;
            string queueName = document.RootElement.GetProperty("queue_name").GetString() ?? string.Empty;
            string text = await MtaProcess.RunAsync("postcat", ["-c", _configDirectory, "-hbq", queueId], cancellationToken).ConfigureAwait(false);
            messages.Add(new MtaQueuedMessage(queueId, queueName, null, text));
        }

        return messages;
    }

    /// <summary>This instance's mail log (Postfix 3.4+ postlogd writes it to a file of ours).</summary>
    public string ReadLog()
    {
        string path = Path.Combine(_root, "maillog");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    /// <summary>Stops Postfix (<c>postfix stop</c>) and removes the instance's folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            await MtaProcess.RunAsync("postfix", ["-c", _configDirectory, "stop"], CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A daemon that is still exiting may hold a file for a moment; the temp folder is left.
        }
    }

    private async Task ConfigureAsync(string sampleMainCf, IPEndPoint milter, SaslAccount? sasl, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the MTA harness runs on Linux only");
        }

        // Postfix's unprivileged processes must traverse the folder; CreateTempSubdirectory makes it 0700.
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string queue = Path.Combine(_root, "queue");
        string data = Path.Combine(_root, "data");
        string mail = Path.Combine(_root, "mail");
        Directory.CreateDirectory(_configDirectory);
        Directory.CreateDirectory(queue);
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(mail);
        string systemConfig = (await MtaProcess.RunAsync("postconf", ["-d", "-h", "config_directory"], cancellationToken).ConfigureAwait(false)).Trim();
        File.Copy(Path.Combine(systemConfig, "master.cf"), Path.Combine(_configDirectory, "master.cf"));
        await File.WriteAllTextAsync(Path.Combine(_configDirectory, "main.cf"), string.Empty, cancellationToken).ConfigureAwait(false);

        string uid = (await MtaProcess.RunAsync("id", ["-u", "postfix"], cancellationToken).ConfigureAwait(false)).Trim();
        string gid = (await MtaProcess.RunAsync("id", ["-g", "postfix"], cancellationToken).ConfigureAwait(false)).Trim();
        await MtaProcess.RunAsync("chown", ["postfix", data, mail], cancellationToken).ConfigureAwait(false);

        string[] settings =
        [
            "compatibility_level = 3.6",
            "queue_directory = " + queue,
            "data_directory = " + data,
            "maillog_file_prefixes = " + _root,
            "maillog_file = " + Path.Combine(_root, "maillog"),
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "myhostname = " + HostName,
            "mydestination =",
            "mynetworks = 127.0.0.0/8",
            "alias_maps =",
            "alias_database =",
            "smtp_dns_support_level = disabled",
            "biff = no",
            // Every recipient of the test domain lands in one Maildir the test reads.
            "virtual_mailbox_domains = " + Domain,
            "virtual_mailbox_base = " + mail,
            "virtual_mailbox_maps = static:maildir/",
            "virtual_uid_maps = static:" + uid,
            "virtual_gid_maps = static:" + gid,
        ];
        await PostconfAsync(["-e", .. settings], cancellationToken).ConfigureAwait(false);

        if (sasl is not null)
        {
            await PostconfAsync(["-e", .. await SaslSettingsAsync(sasl, cancellationToken).ConfigureAwait(false)], cancellationToken).ConfigureAwait(false);
        }

        string socket = string.Create(CultureInfo.InvariantCulture, $"inet:{milter.Address}:{milter.Port}");
        await PostconfAsync(["-e", .. ReadSample(sampleMainCf, socket)], cancellationToken).ConfigureAwait(false);

        // No chroot (the queue folder is not set up as one) and smtpd only on our loopback port:
        // the system's "smtp inet" service is replaced, so nothing binds port 25.
        await PostconfAsync(["-F", "*/*/chroot = n"], cancellationToken).ConfigureAwait(false);
        await PostconfAsync(["-M", "-e", string.Create(CultureInfo.InvariantCulture, $"smtp/inet = 127.0.0.1:{SmtpEndPoint.Port} inet n - n - - smtpd")], cancellationToken).ConfigureAwait(false);
        await MtaProcess.RunAsync("postfix", ["-c", _configDirectory, "check"], cancellationToken).ConfigureAwait(false);
    }

    // SMTP AUTH on this instance only (SASL_README, "Configuring Cyrus SASL"): smtpd (not chrooted
    // here) reads <smtpd_sasl_path>.conf, i.e. our smtpd.conf, which points at our sasldb; the sasldb
    // must be readable by the postfix group smtpd runs as. Debian's Postfix looks for smtpd.conf in
    // <config_directory>/sasl/ (strace: it never opened cyrus_sasl_config_path), so the file goes
    // there; cyrus_sasl_config_path names the same folder for builds that honour it.
    private async Task<string[]> SaslSettingsAsync(SaslAccount sasl, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(_configDirectory, "sasl");
        await CyrusSasl.WriteAsync(directory, "smtpd", sasl, "postfix", cancellationToken).ConfigureAwait(false);
        return
        [
            "smtpd_sasl_auth_enable = yes",
            "smtpd_sasl_type = cyrus",
            "smtpd_sasl_path = smtpd",
            "cyrus_sasl_config_path = " + directory,
            // The realm of the sasldb entry, so the client logs in with the bare user name.
            "smtpd_sasl_local_domain = " + sasl.Realm,
            // Plaintext mechanisms without TLS: loopback only, and there is no TLS on this instance.
            "smtpd_sasl_security_options = noanonymous",
            "smtpd_tls_auth_only = no",
        ];
    }

    /// <summary>
    /// The sample's parameter settings as logical lines (main.cf syntax: '#' comments, blank lines,
    /// continuation lines starting with whitespace), with the sample socket replaced.
    /// </summary>
    internal static IReadOnlyList<string> ReadSample(string sampleMainCf, string socket)
    {
        var settings = new List<string>();
        var current = new StringBuilder();
        foreach (string line in File.ReadAllLines(sampleMainCf))
        {
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && current.Length > 0)
            {
                current.Append(' ').Append(line.Trim());
                continue;
            }

            Flush();
            current.Append(line.Trim());
        }

        Flush();
        return settings;

        void Flush()
        {
            if (current.Length > 0)
            {
                settings.Add(current.ToString().Replace(SampleMilterSocket, socket, StringComparison.Ordinal));
                current.Clear();
            }
        }
    }

    private Task<string> PostconfAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        MtaProcess.RunAsync("postconf", ["-c", _configDirectory, .. arguments], cancellationToken);
}
