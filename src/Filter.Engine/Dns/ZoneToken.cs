using System.Text;

namespace Filter.Engine.Dns;

/// <summary>What <see cref="ZoneFileLexer"/> hands the parser.</summary>
internal enum ZoneTokenKind
{
    /// <summary>A word or a quoted string.</summary>
    Word,

    /// <summary>A line end outside parentheses: the entry is complete.</summary>
    EndOfEntry,

    /// <summary>The end of the input; also ends the entry in progress.</summary>
    EndOfFile,

    /// <summary>The text after <c>; authfilter:</c> in a comment.</summary>
    Directive,
}

/// <summary>
/// One lexical unit of a master file. <see cref="Octets"/> holds the value with escapes decoded and
/// quotes removed; <see cref="RawStart"/>/<see cref="RawLength"/> point at the source bytes so
/// names can be read with their escapes (an escaped dot is not a label separator).
/// </summary>
internal readonly record struct ZoneToken(
    ZoneTokenKind Kind,
    byte[] Octets,
    int RawStart,
    int RawLength,
    int Line,
    int Column,
    bool Quoted,
    bool Escaped,
    bool AtLineStart)
{
    /// <summary>Octets read as UTF-8, invalid sequences as U+FFFD (as the live resolver reads TXT).</summary>
    public string Text => ZoneText.Decode(Octets);

    /// <summary>Neither quoted nor escaped: <c>@</c> and <c>$ORIGIN</c> mean what they say.</summary>
    public bool Plain => !Quoted && !Escaped;

    public bool IsPlain(string text) => Plain && Text.Equals(text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The one way octets from a master file become text.</summary>
internal static class ZoneText
{
    // throwOnInvalidBytes: false keeps the replacement fallback: invalid sequences become U+FFFD.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string Decode(ReadOnlySpan<byte> octets) => Utf8.GetString(octets);

    public static byte[] Encode(string text) => Utf8.GetBytes(text);

    /// <summary>1-based column of <paramref name="position"/>, counting UTF-8 sequences once.</summary>
    public static int Column(ReadOnlySpan<byte> data, int lineStart, int position)
    {
        var column = 1;
        for (var i = lineStart; i < position && i < data.Length; i++)
        {
            if ((data[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return column;
    }
}
