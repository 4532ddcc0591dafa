using Filter.Host.Replay;
using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Bench;

/// <summary>
/// The messages a benchmark replays: every <c>*.eml</c> file of a folder (sorted by name), each
/// parsed once into the form an MTA hands a milter. The envelope comes from an optional
/// <c>manifest.tsv</c> in the folder (<c>FILE&lt;TAB&gt;MAIL-FROM&lt;TAB&gt;RCPT[ RCPT...]</c>, one
/// line per file, '#' comments), otherwise from the message's own From and To headers. A folder
/// with a replay manifest (manifest.yaml) is read as <c>authfilter replay</c> reads it.
/// </summary>
internal sealed class BenchCorpus
{
    /// <summary>The name of the optional envelope manifest.</summary>
    public const string ManifestName = "manifest.tsv";

    // Each message encoded once for the negotiation the connections got, shared by all of them.
    private readonly MilterPreparedMessage?[] _prepared;

    private BenchCorpus(IReadOnlyList<MilterClientMessage> messages, IReadOnlyList<string> names)
    {
        Messages = messages;
        Names = names;
        _prepared = new MilterPreparedMessage?[messages.Count];
    }

    /// <summary>The parsed messages, in file-name order.</summary>
    public IReadOnlyList<MilterClientMessage> Messages { get; }

    /// <summary>The file names, parallel to <see cref="Messages"/>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Message <paramref name="index"/> encoded for what <paramref name="client"/> negotiated: encoded
    /// on first use and kept, so a run encodes each message once, not once per send. Connections
    /// may race to encode the same message; each gets an equal, immutable copy, so the race is benign.
    /// </summary>
    public MilterPreparedMessage Prepared(int index, MilterClient client)
    {
        MilterPreparedMessage? prepared = Volatile.Read(ref _prepared[index]);
        if (prepared is null || !client.CanSend(prepared))
        {
            prepared = client.Prepare(Messages[index]);
            Volatile.Write(ref _prepared[index], prepared);
        }

        return prepared;
    }

    /// <summary>Builds a corpus from messages already in memory (tests, synthetic loads).</summary>
    public static BenchCorpus FromMessages(IReadOnlyList<MilterClientMessage> messages) =>
        new(messages, [.. Enumerable.Range(0, messages.Count).Select(i => $"message-{i}")]);

    /// <summary>Loads a folder; a folder with no .eml file is an error, as is a malformed manifest line.</summary>
    public static BenchCorpusLoad Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return BenchCorpusLoad.Failed($"{folder}: no such folder");
        }

        if (File.Exists(Path.Combine(folder, Corpus.ManifestName)))
        {
            return LoadReplayCorpus(folder);
        }

        string[] files = Directory.GetFiles(folder, "*.eml");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0)
        {
            return BenchCorpusLoad.Failed($"{folder}: no .eml files");
        }

        var envelopes = new Dictionary<string, (string Sender, string[] Recipients)>(StringComparer.Ordinal);
        string manifest = Path.Combine(folder, ManifestName);
        if (File.Exists(manifest))
        {
            int lineNumber = 0;
            foreach (string line in File.ReadLines(manifest))
            {
                lineNumber++;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string[] fields = line.Split('\t');
                if (fields.Length != 3)
                {
                    return BenchCorpusLoad.Failed($"{manifest}:{lineNumber}: expected FILE<TAB>MAIL-FROM<TAB>RCPT[ RCPT...]");
                }

                envelopes[fields[0]] = (Bracket(fields[1]), [.. fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Bracket)]);
            }
        }

        var messages = new List<MilterClientMessage>(files.Length);
        var names = new List<string>(files.Length);
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            MilterClientMessage parsed = MilterClientMessage.Parse(bytes, "<>", []);
            if (envelopes.TryGetValue(name, out var envelope))
            {
                parsed = parsed with { Sender = envelope.Sender, Recipients = envelope.Recipients };
            }
            else
            {
                parsed = parsed with
                {
                    Sender = Bracket(FirstAddress(parsed, "From") ?? string.Empty),
                    Recipients = [Bracket(FirstAddress(parsed, "To") ?? "postmaster@localhost")],
                };
            }

            messages.Add(parsed);
            names.Add(name);
        }

        return BenchCorpusLoad.Loaded(new BenchCorpus(messages, names));
    }

    /// <summary>
    /// A replay corpus (manifest.yaml, as <c>authfilter replay</c> reads it): its messages and
    /// envelopes, in manifest order. Its client addresses are not used: every bench session
    /// connects from the same loopback address.
    /// </summary>
    private static BenchCorpusLoad LoadReplayCorpus(string folder)
    {
        var errors = new List<string>();
        Corpus? corpus = CorpusReader.Read(folder, errors);
        if (corpus is null || errors.Count > 0)
        {
            return BenchCorpusLoad.Failed(errors.Count > 0 ? string.Join(Environment.NewLine, errors) : $"{folder}: unreadable manifest");
        }

        var messages = new List<MilterClientMessage>(corpus.Entries.Count);
        var names = new List<string>(corpus.Entries.Count);
        foreach (CorpusEntry entry in corpus.Entries)
        {
            byte[] bytes = File.ReadAllBytes(entry.Path);
            string sender = entry.Envelope.MailFrom.Length == 0 ? "<>" : Bracket(entry.Envelope.MailFrom);
            messages.Add(MilterClientMessage.Parse(bytes, sender, [.. entry.Envelope.Recipients.Select(Bracket)]));
            names.Add(entry.Name);
        }

        return messages.Count == 0 ? BenchCorpusLoad.Failed($"{folder}: no messages in the manifest") : BenchCorpusLoad.Loaded(new BenchCorpus(messages, names));
    }

    private static string Bracket(string address)
    {
        string trimmed = address.Trim();
        return trimmed.StartsWith('<') ? trimmed : $"<{trimmed}>";
    }

    /// <summary>The address in a From/To header: the part in angle brackets, else the first token with '@'.</summary>
    private static string? FirstAddress(MilterClientMessage message, string headerName)
    {
        foreach (HeaderCommand header in message.Headers)
        {
            if (!string.Equals(header.Name, headerName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string value = MilterText.Decode(header.RawValue.Span);
            int open = value.IndexOf('<');
            int close = open < 0 ? -1 : value.IndexOf('>', open + 1);
            if (close > open)
            {
                return value[(open + 1)..close];
            }

            foreach (string token in value.Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Contains('@'))
                {
                    return token;
                }
            }
        }

        return null;
    }
}
