using System.Text;

namespace Filter.Milter.Session;

/// <summary>
/// An SMTP reply for REPLYCODE (milter reference §11.1), checked when built: a 4xx or 5xx code,
/// an optional RFC 3463 enhanced code of the same class, text without CR, LF or NUL; several
/// lines become "ddd-...\r\nddd ..."; '%' is doubled because Sendmail reads the text as a
/// printf format and Postfix turns "%%" back into "%".
/// </summary>
public sealed record SmtpReply
{
    private SmtpReply(int code, string wireText)
    {
        Code = code;
        WireText = wireText;
    }

    /// <summary>The three-digit reply code.</summary>
    public int Code { get; }

    /// <summary>The exact REPLYCODE payload text (without the NUL).</summary>
    public string WireText { get; }

    /// <summary>True for 4xx replies (tempfail class).</summary>
    public bool IsTransient => Code / 100 == 4;

    /// <summary>Builds a one-line reply such as <c>550 5.7.1 Message rejected</c>.</summary>
    /// <exception cref="ArgumentException">The code is not 4xx/5xx, the enhanced code does not match its class, or the text holds CR, LF or NUL.</exception>
    public static SmtpReply Create(int code, string? enhancedCode, string text) => Create(code, enhancedCode, [text]);

    /// <summary>Builds a reply of one or more lines (at most 32, libmilter's limit).</summary>
    /// <exception cref="ArgumentException">See <see cref="Create(int, string?, string)"/>.</exception>
    public static SmtpReply Create(int code, string? enhancedCode, IReadOnlyList<string> lines)
    {
        if (code is < 400 or > 599)
        {
            throw new ArgumentException($"Reply code {code} is not 4xx or 5xx.", nameof(code));
        }

        if (lines.Count is 0 or > 32)
        {
            throw new ArgumentException("A reply has 1 to 32 lines.", nameof(lines));
        }

        if (enhancedCode is not null && !IsEnhancedCode(enhancedCode, code / 100))
        {
            throw new ArgumentException($"Enhanced code '{enhancedCode}' is not of class {code / 100}.", nameof(enhancedCode));
        }

        var builder = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                throw new ArgumentException("Reply text cannot contain CR, LF or NUL.", nameof(lines));
            }

            if (i > 0)
            {
                builder.Append("\r\n");
            }

            builder.Append(code).Append(i == lines.Count - 1 ? ' ' : '-');
            if (enhancedCode is not null)
            {
                builder.Append(enhancedCode).Append(' ');
            }

            builder.Append(line.Replace("%", "%%", StringComparison.Ordinal));
        }

        return new SmtpReply(code, builder.ToString());
    }

    private static bool IsEnhancedCode(string value, int replyClass)
    {
        // RFC 3463 §2: class "." subject "." detail, class matching the reply's first digit.
        string[] parts = value.Split('.');
        if (parts.Length != 3 || parts[0] != replyClass.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3)
            {
                return false;
            }

            foreach (char c in part)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => WireText;
}
