using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Benchmarks.Dkim;

/// <summary>A signed message split the way the milter delivers it: header fields, then body bytes.</summary>
internal sealed class DkimBenchmarkMessage
{
    private const string Headers =
        "From: Alice <alice@example.com>\r\n"
        + "To: Bob <bob@example.net>\r\n"
        + "Subject: Benchmark message\r\n"
        + "Date: Wed, 25 Nov 2026 12:00:00 +0000\r\n"
        + "Message-ID: <bench@example.com>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n";

    public required (string Name, byte[] Value)[] Fields { get; init; }

    public required byte[] Body { get; init; }

    public required DnsZone Zone { get; init; }

    /// <summary>Header section and body as one message (what the raw SHA-256 floor hashes).</summary>
    public required byte[] Whole { get; init; }

    /// <summary>Text lines of about 70 characters, with some double spaces and trailing blanks for relaxed.</summary>
    public static byte[] MakeBody(int size)
    {
        var body = new byte[size];
        var line = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog,  again and again.  \r\n");
        for (var i = 0; i < size; i++)
        {
            body[i] = line[i % line.Length];
        }

        if (size >= 2)
        {
            body[^2] = (byte)'\r';
            body[^1] = (byte)'\n';
        }

        return body;
    }

    /// <summary>
    /// A realistic MIME body: a plain-text part (prose lines with single spaces, a few empty lines) and a
    /// base64 attachment (76-character lines), ended by the closing boundary; about <paramref name="size"/> bytes.
    /// Relaxed canonicalization has nothing to rewrite here but the line ends.
    /// </summary>
    public static byte[] MakeRealisticBody(int size)
    {
        var text = new StringBuilder();
        text.Append("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        var words = "the quick brown fox jumps over a lazy dog while seven wizards box and judge my vow quietly".Split(' ');
        var line = new StringBuilder();
        var w = 0;
        while (text.Length < size / 4)
        {
            line.Clear();
            while (line.Length < 66)
            {
                line.Append(line.Length == 0 ? string.Empty : " ").Append(words[w++ % words.Length]);
            }

            text.Append(line).Append(w % 97 < 12 ? "\r\n\r\n" : "\r\n");
        }

        text.Append("\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var closing = "\r\n--b1--\r\n";
        var random = new Random(4);
        var blob = new byte[57];
        while (text.Length + 78 + closing.Length <= size)
        {
            random.NextBytes(blob);
            text.Append(Convert.ToBase64String(blob)).Append("\r\n");
        }

        text.Append(closing);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    public static DkimBenchmarkMessage Create(DkimSigningKey key, int bodySize) => Create(key, bodySize, MakeBody);

    public static DkimBenchmarkMessage Create(DkimSigningKey key, int bodySize, Func<int, byte[]> makeBody)
    {
        var body = makeBody(bodySize);
        byte[] unsigned = [.. Encoding.ASCII.GetBytes(Headers + "\r\n"), .. body];
        var field = new DkimSigner(new DkimSignerOptions { Domain = "example.com", Selector = "bench", Key = key }).Sign(unsigned);
        var header = field + "\r\n" + Headers;
        var fields = new List<(string, byte[])>();
        foreach (var unfolded in header.Replace("\r\n\t", "\u0001", StringComparison.Ordinal).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = unfolded.IndexOf(':', StringComparison.Ordinal);
            fields.Add((unfolded[..colon], Encoding.Latin1.GetBytes(unfolded[(colon + 1)..].Replace("\u0001", "\r\n\t", StringComparison.Ordinal))));
        }

        var zone = new DnsZone();
        zone.AddTxt("bench._domainkey.example.com", key.KeyRecord);
        return new DkimBenchmarkMessage
        {
            Fields = [.. fields],
            Body = body,
            Zone = zone,
            Whole = [.. Encoding.Latin1.GetBytes(header + "\r\n"), .. body],
        };
    }
}
