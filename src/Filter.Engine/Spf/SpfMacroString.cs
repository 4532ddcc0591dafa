using System.Text;

namespace Filter.Engine.Spf;

/// <summary>
/// A parsed macro-string (RFC 7208 §7.1): a domain-spec, an unknown modifier's value or an
/// explanation string. Parsed once per record text (records are cached), expanded per check by
/// <see cref="SpfMacroExpander"/>.
/// </summary>
internal sealed class SpfMacroString
{
    private SpfMacroString(string text, SpfMacroSegment[] segments, bool endsWithMacroExpand)
    {
        Text = text;
        EndsWithMacroExpand = endsWithMacroExpand;
        Segments = segments;
        foreach (var segment in segments)
        {
            if (segment.Literal is null)
            {
                HasMacros = true;
                UsesValidatedName |= segment.Letter == 'p';
            }
        }

        if (!HasMacros)
        {
            Literal = segments.Length switch
            {
                0 => string.Empty,
                1 => segments[0].Literal,
                _ => string.Concat(Array.ConvertAll(segments, static s => s.Literal)),
            };
        }
    }

    /// <summary>The macro-string as written.</summary>
    public string Text { get; }

    public SpfMacroSegment[] Segments { get; }

    /// <summary>True when the last token is a macro-expand (<c>%{..}</c>, <c>%%</c>, <c>%_</c>, <c>%-</c>): a valid domain-end (§7.1).</summary>
    public bool EndsWithMacroExpand { get; }

    /// <summary>True when at least one <c>%{...}</c> needs expanding.</summary>
    public bool HasMacros { get; }

    /// <summary>True when <c>%{p}</c> appears: expansion needs the validated domain name (§7.3).</summary>
    public bool UsesValidatedName { get; }

    /// <summary>The expanded text when there are no macros (the common case), computed once.</summary>
    public string? Literal { get; }

    /// <summary>
    /// Parses <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>) as a macro-string.
    /// On failure <paramref name="error"/> says what is wrong and at which 1-based position of
    /// <paramref name="text"/> (so errors point into the whole record).
    /// </summary>
    public static bool TryParse(string text, int start, int end, SpfMacroSyntax syntax, out SpfMacroString? result, out string? error)
    {
        var segments = new List<SpfMacroSegment>();
        var literal = new StringBuilder();
        var i = start;
        var lastWasExpand = false;
        while (i < end)
        {
            var c = text[i];
            if (c != '%')
            {
                // macro-literal = %x21-24 / %x26-7E; explanation strings also allow SP (§7.1, §6.2).
                var allowed = (c >= 0x21 && c <= 0x7E) || (c == ' ' && syntax == SpfMacroSyntax.Explanation);
                if (!allowed)
                {
                    return Fail(out result, out error, i, $"character {Describe(c)} is not allowed in a macro-string");
                }

                literal.Append(c);
                lastWasExpand = false;
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                return Fail(out result, out error, i, "'%' at the end of a macro-string");
            }

            var next = text[i + 1];
            switch (next)
            {
                case '%':
                    literal.Append('%');
                    i += 2;
                    lastWasExpand = true;
                    continue;
                case '_':
                    literal.Append(' ');
                    i += 2;
                    lastWasExpand = true;
                    continue;
                case '-':
                    literal.Append("%20");
                    i += 2;
                    lastWasExpand = true;
                    continue;
                case '{':
                    break;
                default:
                    return Fail(out result, out error, i, $"'%' followed by {Describe(next)}; only '%{{', '%%', '%_' and '%-' are macros");
            }

            if (!TryParseMacro(text, i, end, syntax, out var macro, out var next2, out error))
            {
                result = null;
                return false;
            }

            if (literal.Length > 0)
            {
                segments.Add(SpfMacroSegment.ForLiteral(literal.ToString()));
                literal.Clear();
            }

            segments.Add(macro);
            lastWasExpand = true;
            i = next2;
        }

        if (literal.Length > 0)
        {
            segments.Add(SpfMacroSegment.ForLiteral(literal.ToString()));
        }

        result = new SpfMacroString(text.Substring(start, end - start), [.. segments], lastWasExpand);
        error = null;
        return true;
    }

    // macro-expand = "%{" macro-letter transformers *delimiter "}"; transformers = *DIGIT [ "r" ]
    private static bool TryParseMacro(string text, int percent, int end, SpfMacroSyntax syntax, out SpfMacroSegment macro, out int next, out string? error)
    {
        macro = default;
        next = 0;
        var i = percent + 2;
        if (i >= end)
        {
            return FailMacro(out error, percent, "unterminated macro");
        }

        var letter = text[i];
        var lower = char.ToLowerInvariant(letter);
        if (!IsLetterAllowed(lower, syntax) || letter > 0x7F)
        {
            var detail = lower is 'c' or 'r' or 't'
                ? $"macro letter '{letter}' is allowed only in explanation text"
                : $"unknown macro letter {Describe(letter)}";
            return FailMacro(out error, i, detail);
        }

        i++;
        var digitsStart = i;
        var rightParts = 0;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            // Anything above 255 keeps every part of a name anyway; cap to avoid overflow.
            rightParts = Math.Min(rightParts * 10 + (text[i] - '0'), 1000);
            i++;
        }

        if (i > digitsStart && rightParts == 0)
        {
            return FailMacro(out error, digitsStart, "the digit transformer must not be zero");
        }

        var reverse = false;
        if (i < end && (text[i] == 'r' || text[i] == 'R'))
        {
            reverse = true;
            i++;
        }

        var delimiterStart = i;
        while (i < end && IsDelimiter(text[i]))
        {
            i++;
        }

        var delimiters = i > delimiterStart ? text.Substring(delimiterStart, i - delimiterStart) : null;
        if (i >= end || text[i] != '}')
        {
            return FailMacro(out error, i, "macro not closed by '}'");
        }

        macro = SpfMacroSegment.ForMacro(lower, char.IsAsciiLetterUpper(letter), rightParts, reverse, delimiters);
        next = i + 1;
        error = null;
        return true;
    }

    private static bool IsLetterAllowed(char letter, SpfMacroSyntax syntax) => letter switch
    {
        's' or 'l' or 'o' or 'd' or 'i' or 'p' or 'v' or 'h' => true,
        'c' or 'r' or 't' => syntax != SpfMacroSyntax.DomainSpec,
        _ => false,
    };

    // delimiter = "." / "-" / "+" / "," / "/" / "_" / "="
    internal static bool IsDelimiter(char c) => c is '.' or '-' or '+' or ',' or '/' or '_' or '=';

    internal static string Describe(char c) =>
        c >= 0x21 && c <= 0x7E ? $"'{c}'" : $"U+{(int)c:X4}";

    private static bool Fail(out SpfMacroString? result, out string? error, int index, string message)
    {
        result = null;
        error = $"position {index + 1}: {message}";
        return false;
    }

    private static bool FailMacro(out string? error, int index, string message)
    {
        error = $"position {index + 1}: {message}";
        return false;
    }
}
