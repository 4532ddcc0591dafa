using System.Text;

namespace Filter.Host.Tests.Replay;

/// <summary>
/// Writes the message files of a generated corpus and collects its <c>manifest.yaml</c> text, one entry per
/// <see cref="Add"/>, in the format <see cref="Filter.Host.Replay.CorpusReader"/> reads.
/// </summary>
internal sealed class CorpusManifestWriter
{
    private readonly string _directory;
    private readonly StringBuilder _manifest = new();

    public CorpusManifestWriter(string directory, string header)
    {
        _directory = directory;
        Directory.CreateDirectory(Path.Combine(directory, "messages"));
        _manifest.Append(header);
    }

    /// <summary>The number of entries added so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Writes <paramref name="message"/> as messages/NAME.eml and its manifest entry. <paramref name="dkim"/> is the
    /// list of DKIM result words, top signature first, comma separated ("none" for an unsigned message).
    /// </summary>
    public void Add(string name, string description, byte[] message, string ip, string mailFrom, string verdict, string spf, string dkim, string dmarc,
        string? helo = null, string? authUser = null)
    {
        // The description is written inside YAML double quotes, where these characters would need escapes.
        if (description.Contains('"', StringComparison.Ordinal) || description.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("write the description without double quotes or backslashes", nameof(description));
        }

        File.WriteAllBytes(Path.Combine(_directory, "messages", name + ".eml"), message);
        _manifest.Append("  - file: messages/").Append(name).Append(".eml\n");
        _manifest.Append("    description: \"").Append(description).Append("\"\n");
        _manifest.Append("    client-ip: ").Append(ip).Append('\n');
        // An address literal such as [192.0.2.25] would read as a YAML list unquoted.
        var heloText = helo ?? "mta.sender.example";
        _manifest.Append("    helo: ").Append(heloText.StartsWith('[') ? "\"" + heloText + "\"" : heloText).Append('\n');
        _manifest.Append("    mail-from: \"").Append(mailFrom).Append("\"\n");
        _manifest.Append("    rcpt: [user@receiver.example]\n");
        if (authUser is not null)
        {
            _manifest.Append("    auth-user: ").Append(authUser).Append('\n');
        }

        _manifest.Append("    expect: { verdict: ").Append(verdict).Append(", spf: ").Append(spf)
            .Append(", dkim: [").Append(dkim).Append("], dmarc: ").Append(dmarc).Append(" }\n");
        Count++;
    }

    public override string ToString() => _manifest.ToString();
}
