using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Filter.Milter.Protocol;

/// <summary>
/// Strings on the wire (milter reference §2.2): NUL-terminated bytes with no declared charset.
/// We decode UTF-8 when the bytes are valid UTF-8 and Latin-1 otherwise (Latin-1 maps every byte
/// to one char, so nothing is lost), and encode as UTF-8.
/// </summary>
public static class MilterText
{
    private static readonly Encoding s_latin1 = Encoding.Latin1;

    /// <summary>Decodes raw string bytes (without their NUL).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : s_latin1.GetString(bytes);
    }

    /// <summary>Decodes raw string bytes (without their NUL) that may span segments.</summary>
    public static string Decode(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Decode(bytes.FirstSpan);
        }

        int length = checked((int)bytes.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            return Decode(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Bytes <paramref name="value"/> takes on the wire, its terminating NUL included.</summary>
    /// <exception cref="ArgumentException">The string contains a NUL, which would end it early on the wire.</exception>
    internal static int GetEncodedLength(string value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException("A milter string cannot contain NUL.", nameof(value));
        }

        return Encoding.UTF8.GetByteCount(value) + 1;
    }

    /// <summary>Writes the UTF-8 bytes and the NUL; returns the bytes written.</summary>
    internal static int Write(Span<byte> destination, string value)
    {
        int written = Encoding.UTF8.GetBytes(value, destination);
        destination[written] = 0;
        return written + 1;
    }
}
