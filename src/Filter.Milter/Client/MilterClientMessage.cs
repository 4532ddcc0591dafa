using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>
/// One message as an MTA would hand it to a milter. Header values are the bytes after the colon
/// exactly as in the message (usually starting with a space), folds joined with LF; the client
/// removes one leading space unless the milter negotiated SMFIP_HDR_LEADSPC, as MTAs do (§8.1).
/// </summary>
/// <param name="Sender">MAIL FROM as written, e.g. "&lt;alice@example.org&gt;" or "&lt;&gt;".</param>
/// <param name="Recipients">RCPT TO addresses as written, e.g. "&lt;bob@example.net&gt;".</param>
/// <param name="Headers">Header fields in message order.</param>
/// <param name="Body">The body (after the blank line), CRLF line ends; sent in chunks of at most 65535 bytes.</param>
public sealed record MilterClientMessage(
    string Sender,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<HeaderCommand> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>ESMTP parameters of MAIL FROM.</summary>
    public IReadOnlyList<string> SenderParameters { get; init; } = [];

    /// <summary>
    /// Macros to send before each command, by the command's code ('C'... as the MTA tags them).
    /// Postfix-style 'L' and 'B' lists go before every header and body chunk.
    /// </summary>
    public IReadOnlyDictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>> Macros { get; init; } =
        new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>();

    /// <summary>Body chunk size, at most 65535 (Postfix fills chunks to 65535).</summary>
    public int ChunkSize { get; init; } = MilterLimits.MaxChunkSize;

    /// <summary>
    /// Splits an RFC 5322 message (CRLF or LF line ends) into header fields and body as an MTA
    /// hands them to milters: each field's value is everything after the colon, continuation
    /// lines joined with LF; whitespace between name and colon dropped.
    /// </summary>
    public static MilterClientMessage Parse(ReadOnlyMemory<byte> message, string sender, IReadOnlyList<string> recipients)
    {
        ReadOnlySpan<byte> span = message.Span;
        var headers = new List<HeaderCommand>();
        string? name = null;
        var value = new List<byte>();
        int position = 0;
        while (position < span.Length)
        {
            int newline = span[position..].IndexOf((byte)'\n');
            int lineEnd = newline < 0 ? span.Length : position + newline;
            int next = newline < 0 ? span.Length : lineEnd + 1;
            int contentEnd = lineEnd > position && span[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            ReadOnlySpan<byte> line = span[position..contentEnd];
            if (line.IsEmpty)
            {
                position = next;
                break;
            }

            if ((line[0] == ' ' || line[0] == '\t') && name is not null)
            {
                value.Add((byte)'\n');
                value.AddRange(line);
            }
            else
            {
                if (name is not null)
                {
                    headers.Add(new HeaderCommand(name, value.ToArray()));
                }

                int colon = line.IndexOf((byte)':');
                if (colon < 0)
                {
                    // Not a header line: the header section ends without a blank line.
                    name = null;
                    break;
                }

                name = MilterText.Decode(line[..colon].TrimEnd(" \t"u8));
                value.Clear();
                value.AddRange(line[(colon + 1)..]);
            }

            position = next;
        }

        if (name is not null)
        {
            headers.Add(new HeaderCommand(name, value.ToArray()));
        }

        return new MilterClientMessage(sender, recipients, headers, message[Math.Min(position, message.Length)..]);
    }
}
