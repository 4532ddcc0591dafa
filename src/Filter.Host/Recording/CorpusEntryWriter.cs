using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Host.Replay;

namespace Filter.Host.Recording;

/// <summary>
/// Writes one recorded message into a corpus folder in the replay format (<see cref="CorpusReader"/>):
/// <c>messages/ID.eml</c> (the bytes as received), <c>zones/ID.zone</c> (the DNS the message saw, from a
/// <see cref="RecordingDnsResolver"/>), optionally <c>policies/policy-HASH.yaml</c> (the policy in force),
/// and an entry appended to <c>manifest.yaml</c> with the envelope, its own zone and policy, and the
/// verdict, its reason, the per-method results and our Authentication-Results value as recorded, so
/// <c>authfilter replay DIR</c> checks that they still hold, exactly (issue 6 item 6).
/// </summary>
/// <remarks>
/// Recordings hold whole messages and addresses, i.e. personal data: folders are created with mode 0700
/// and files with 0600 (RecordingSettings). Each entry names its own zone file (<c>zones:</c>), so entries
/// recorded at different times that saw different answers for one question never merge. One writer per
/// folder; appends are serialised.
/// </remarks>
internal sealed class CorpusEntryWriter
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory;
    private readonly Lock _lock = new();

    public CorpusEntryWriter(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
    }

    /// <summary>The corpus folder.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Writes the entry named <paramref name="id"/> (letters, digits, '-', '_' and '.'; an existing entry
    /// of that name is an error, never overwritten) and returns the message file's path.
    /// </summary>
    public string Write(string id, ReadOnlySpan<byte> message, MessageEnvelope envelope, RecordingDnsResolver dns, AuthenticationOutcome outcome, string? policy = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(outcome);
        CheckId(id);
        lock (_lock)
        {
            CreateFolders();
            var messagePath = Path.Combine(_directory, "messages", id + ".eml");
            WriteNew(messagePath, message);
            return WriteRest(id, messagePath, envelope, dns, outcome, policy);
        }
    }

    /// <summary>
    /// Creates the folders and the message file <c>messages/ID.eml.partial</c> (0600, never an existing
    /// one) that the daemon streams the message into as it arrives; <see cref="Complete"/> renames it.
    /// </summary>
    public FileStream CreatePartial(string id)
    {
        CheckId(id);
        lock (_lock)
        {
            CreateFolders();
        }

        return Open(PartialPath(id), System.IO.FileMode.CreateNew, bufferSize: 64 * 1024);
    }

    /// <summary>The partial message file of entry <paramref name="id"/>.</summary>
    public string PartialPath(string id) => Path.Combine(_directory, "messages", id + ".eml.partial");

    /// <summary>
    /// Completes the entry whose message was streamed into <see cref="CreatePartial"/> (and closed): renames
    /// it to <c>messages/ID.eml</c> and writes the zone and the manifest entry. Returns the message file's path.
    /// </summary>
    public string Complete(string id, MessageEnvelope envelope, RecordingDnsResolver dns, AuthenticationOutcome outcome, string? policy)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(outcome);
        CheckId(id);
        lock (_lock)
        {
            var messagePath = Path.Combine(_directory, "messages", id + ".eml");
            File.Move(PartialPath(id), messagePath, overwrite: false);
            return WriteRest(id, messagePath, envelope, dns, outcome, policy);
        }
    }

    /// <summary>
    /// Saves policy file text as <c>policies/policy-HASH.yaml</c> (once per distinct text) and returns that
    /// name relative to the folder, for the entries recorded under it.
    /// </summary>
    public string SavePolicy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var name = "policies/policy-" + Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 8) + ".yaml";
        lock (_lock)
        {
            CreateFolders();
            CreateFolder(Path.Combine(_directory, "policies"));
            var path = Path.Combine(_directory, name);
            if (!File.Exists(path))
            {
                WriteNew(path, bytes);
            }
        }

        return name;
    }

    private void CreateFolders()
    {
        CreateFolder(_directory);
        CreateFolder(Path.Combine(_directory, "messages"));
        CreateFolder(Path.Combine(_directory, "zones"));
    }

    // Called under the lock, after the message file is in place.
    private string WriteRest(string id, string messagePath, MessageEnvelope envelope, RecordingDnsResolver dns, AuthenticationOutcome outcome, string? policy)
    {
        WriteNew(Path.Combine(_directory, "zones", id + ".zone"), Encoding.UTF8.GetBytes(dns.ToZoneFile()));

        var manifestPath = Path.Combine(_directory, Corpus.ManifestName);
        var text = new StringBuilder();
        if (!File.Exists(manifestPath))
        {
            text.Append("# authfilter recorded corpus: replay with `authfilter replay DIR`. Holds personal data.\nmessages:\n");
        }

        AppendEntry(text, id, envelope, outcome, policy);
        using (var stream = Open(manifestPath, System.IO.FileMode.Append))
        {
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return messagePath;
    }

    private static void AppendEntry(StringBuilder text, string id, MessageEnvelope envelope, AuthenticationOutcome outcome, string? policy)
    {
        text.Append("  - file: messages/").Append(id).Append(".eml\n");
        text.Append("    zones: [zones/").Append(id).Append(".zone]\n");
        if (policy is not null)
        {
            text.Append("    policy: ").Append(Quote(policy)).Append('\n');
        }

        text.Append("    client-ip: ").Append(Quote(envelope.Client.Address.ToString())).Append('\n');
        if (envelope.Client.HostName is { Length: > 0 } clientName)
        {
            text.Append("    client-name: ").Append(Quote(clientName)).Append('\n');
        }

        text.Append("    helo: ").Append(Quote(envelope.Helo)).Append('\n');
        text.Append("    mail-from: ").Append(Quote(envelope.MailFrom)).Append('\n');
        text.Append("    rcpt: [");
        for (var i = 0; i < envelope.Recipients.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Quote(envelope.Recipients[i]));
        }

        text.Append("]\n");
        if (envelope.Client.AuthenticatedUser is { Length: > 0 } user)
        {
            text.Append("    auth-user: ").Append(Quote(user)).Append('\n');
        }

        if (envelope.QueueId is { Length: > 0 } queueId)
        {
            text.Append("    queue-id: ").Append(Quote(queueId)).Append('\n');
        }

        // Each reason also as a comment, for a human reading the manifest; the expectation below holds them all.
        if (outcome.Spf is { } spf)
        {
            text.Append("    # spf reason: ").Append(OneLine(spf.Reason)).Append('\n');
        }

        foreach (var dkim in outcome.Dkim)
        {
            text.Append("    # dkim reason: ").Append(OneLine(dkim.Reason)).Append('\n');
        }

        if (outcome.Dmarc is { } dmarc)
        {
            text.Append("    # dmarc reason: ").Append(OneLine(dmarc.Reason)).Append('\n');
        }

        text.Append("    expect: { verdict: ").Append(outcome.Verdict.Word);
        if (outcome.Spf is { } recordedSpf)
        {
            text.Append(", spf: ").Append(recordedSpf.ResultWord);
        }

        if (outcome.Dkim.Count > 0)
        {
            text.Append(", dkim: [").Append(CorpusRunner.DkimWords(outcome).Replace(",", ", ", StringComparison.Ordinal)).Append(']');
        }

        if (outcome.Dmarc is { } recordedDmarc)
        {
            text.Append(", dmarc: ").Append(VerdictRules.Word(recordedDmarc.Code));
        }

        // Exact: the verdict's reason, and our header with each method's result and reason (RFC 8601).
        text.Append(",\n      reason: ").Append(Quote(outcome.Verdict.Reason));
        text.Append(",\n      authentication-results: ").Append(Quote(outcome.AuthenticationResults));
        text.Append(" }\n");
    }

    /// <summary>A YAML double-quoted scalar (YAML 1.2 §7.3.1): '\\', '"' and control characters escaped.</summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");

    private static void CheckId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id.StartsWith('.'))
            {
                throw new ArgumentException($"Entry id '{id}': use letters, digits, '-', '_' and '.' (not first).", nameof(id));
            }
        }
    }

    private static void CreateFolder(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, FolderMode);
            // The umask may have taken bits away but never adds any; set exactly what we mean.
            File.SetUnixFileMode(path, FolderMode);
        }
    }

    private static void WriteNew(string path, ReadOnlySpan<byte> data)
    {
        using var stream = Open(path, System.IO.FileMode.CreateNew);
        stream.Write(data);
    }

    private static FileStream Open(string path, System.IO.FileMode mode, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start, so the message is never readable by others, not even briefly.
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }
}
