using System.Globalization;
using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Host.Replay;

namespace Filter.Host.Recording;

/// <summary>
/// Writes one recorded message into a corpus folder in the replay format (<see cref="CorpusReader"/>):
/// <c>messages/ID.eml</c> (the bytes as received), <c>zones/ID.zone</c> (the DNS the message saw, from a
/// <see cref="RecordingDnsResolver"/>) and an entry appended to <c>manifest.yaml</c> with the envelope and
/// the verdict and per-method results as recorded, so <c>authfilter replay</c> checks that they still hold
/// (issue 6 item 6).
/// </summary>
/// <remarks>
/// Recordings hold whole messages and addresses, i.e. personal data: folders are created with mode 0700
/// and files with 0600 (RecordingSettings). The manifest has no <c>zones:</c> key, so replay loads every
/// <c>zones/*.zone</c> together; entries recorded at different times that saw different answers for the
/// same question then merge (answers win over absence). One writer per folder; appends are serialised.
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

    /// <summary>
    /// Writes the entry named <paramref name="id"/> (letters, digits, '-', '_' and '.'; an existing entry
    /// of that name is an error, never overwritten) and returns the message file's path.
    /// </summary>
    public string Write(string id, ReadOnlySpan<byte> message, MessageEnvelope envelope, RecordingDnsResolver dns, AuthenticationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(outcome);
        CheckId(id);
        lock (_lock)
        {
            CreateFolder(_directory);
            CreateFolder(Path.Combine(_directory, "messages"));
            CreateFolder(Path.Combine(_directory, "zones"));
            var messagePath = Path.Combine(_directory, "messages", id + ".eml");
            WriteNew(messagePath, message);
            WriteNew(Path.Combine(_directory, "zones", id + ".zone"), Encoding.UTF8.GetBytes(dns.ToZoneFile()));

            var manifestPath = Path.Combine(_directory, Corpus.ManifestName);
            var text = new StringBuilder();
            if (!File.Exists(manifestPath))
            {
                text.Append("# authfilter recorded corpus: replay with `authfilter replay DIR`. Holds personal data.\nmessages:\n");
            }

            AppendEntry(text, id, envelope, outcome);
            using (var stream = Open(manifestPath, System.IO.FileMode.Append))
            {
                stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            }

            return messagePath;
        }
    }

    private static void AppendEntry(StringBuilder text, string id, MessageEnvelope envelope, AuthenticationOutcome outcome)
    {
        text.Append("  - file: messages/").Append(id).Append(".eml\n");
        text.Append("    client-ip: ").Append(Quote(envelope.Client.Address.ToString())).Append('\n');
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

        // The reasons are kept as comments: the manifest compares result words, a human reads the why.
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
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
            // The umask may have taken bits away but never adds any; set exactly what we mean.
            File.SetUnixFileMode(path, FolderMode);
        }
    }

    private static void WriteNew(string path, ReadOnlySpan<byte> data)
    {
        using var stream = Open(path, System.IO.FileMode.CreateNew);
        stream.Write(data);
    }

    private static FileStream Open(string path, System.IO.FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start, so the message is never readable by others, not even briefly.
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }
}
