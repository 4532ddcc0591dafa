using System.Text;

namespace Filter.Engine.Message;

/// <summary>
/// One header field exactly as received: the name and the bytes of the whole field
/// (<c>name ":" value</c>, folding kept, without the final CRLF). Line breaks inside the value are
/// stored as CRLF whether they arrived as CRLF or bare LF, which is what the message meant on the wire
/// (RFC 5322 §2.2). DKIM simple canonicalization hashes these bytes as they are (RFC 6376 §3.4.1).
/// </summary>
internal sealed class RawHeaderField
{
    private RawHeaderField(string name, byte[] bytes, int valueOffset)
    {
        Name = name;
        Bytes = bytes;
        ValueOffset = valueOffset;
    }

    /// <summary>The name as written, without trailing whitespace (compared case-insensitively).</summary>
    public string Name { get; }

    /// <summary>The whole field: name, colon, value; line breaks as CRLF; no final CRLF.</summary>
    public byte[] Bytes { get; }

    /// <summary>Index in <see cref="Bytes"/> of the first byte after the colon.</summary>
    public int ValueOffset { get; }

    public ReadOnlySpan<byte> Value => Bytes.AsSpan(ValueOffset);

    /// <summary>The value as a Latin-1 string: one char per byte, so offsets match <see cref="Value"/>.</summary>
    public string ValueAsLatin1() => Encoding.Latin1.GetString(Value);

    /// <summary>
    /// Builds a field from the name and the value as the milter delivers them: <paramref name="rawName"/>
    /// as written before the colon, <paramref name="rawValue"/> everything after it (leading space and
    /// folding included). Bare LF inside the value becomes CRLF; a final line break is dropped.
    /// </summary>
    public static RawHeaderField Create(string rawName, ReadOnlySpan<byte> rawValue)
    {
        // A final line break belongs to the field's framing, not its value: drop it (CRLF or bare LF).
        var value = rawValue;
        if (value.Length > 0 && value[^1] == (byte)'\n')
        {
            value = value.Length > 1 && value[^2] == (byte)'\r' ? value[..^2] : value[..^1];
        }

        // Milters join folded lines with a bare LF (milter reference §8.1): each gets its CR back.
        // The exact size is known first, so the field is written once into its final array.
        var nameByteCount = Encoding.Latin1.GetByteCount(rawName);
        var bytes = new byte[nameByteCount + 1 + value.Length + CountBareLineFeeds(value)];
        Encoding.Latin1.GetBytes(rawName, bytes);
        bytes[nameByteCount] = (byte)':';
        var destination = bytes.AsSpan(nameByteCount + 1);
        int lineFeed;
        while ((lineFeed = value.IndexOf((byte)'\n')) >= 0)
        {
            value[..lineFeed].CopyTo(destination);
            destination = destination[lineFeed..];
            if (IsBare(value, lineFeed))
            {
                destination[0] = (byte)'\r';
                destination = destination[1..];
            }

            destination[0] = (byte)'\n';
            destination = destination[1..];
            value = value[(lineFeed + 1)..];
        }

        value.CopyTo(destination);
        return new RawHeaderField(rawName.TrimEnd(' ', '\t'), bytes, nameByteCount + 1);
    }

    private static int CountBareLineFeeds(ReadOnlySpan<byte> value)
    {
        var count = 0;
        int lineFeed;
        while ((lineFeed = value.IndexOf((byte)'\n')) >= 0)
        {
            count += IsBare(value, lineFeed) ? 1 : 0;
            value = value[(lineFeed + 1)..];
        }

        return count;
    }

    // At the start of the remaining value the byte before was the previous LF (or nothing): bare.
    private static bool IsBare(ReadOnlySpan<byte> value, int lineFeed) => lineFeed == 0 || value[lineFeed - 1] != (byte)'\r';
}
