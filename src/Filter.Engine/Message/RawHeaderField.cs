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
        var nameByteCount = Encoding.Latin1.GetByteCount(rawName);
        var buffer = new List<byte>(nameByteCount + 1 + rawValue.Length + 8);
        buffer.AddRange(Encoding.Latin1.GetBytes(rawName));
        buffer.Add((byte)':');
        var valueOffset = buffer.Count;
        for (var i = 0; i < rawValue.Length; i++)
        {
            var b = rawValue[i];
            if (b == (byte)'\n' && (i == 0 || rawValue[i - 1] != (byte)'\r'))
            {
                buffer.Add((byte)'\r');
            }

            buffer.Add(b);
        }

        // A final CRLF belongs to the field's framing, not its value.
        var count = buffer.Count;
        if (count - valueOffset >= 2 && buffer[count - 2] == (byte)'\r' && buffer[count - 1] == (byte)'\n')
        {
            buffer.RemoveRange(count - 2, 2);
        }

        return new RawHeaderField(rawName.TrimEnd(' ', '\t'), buffer.ToArray(), valueOffset);
    }
}
