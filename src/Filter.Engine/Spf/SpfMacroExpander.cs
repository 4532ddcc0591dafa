using System.Globalization;
using System.Text;

namespace Filter.Engine.Spf;

/// <summary>
/// Expands a parsed macro-string (RFC 7208 §7.3): letter values, the digit and "r" transformers,
/// delimiters, and URL escaping for upper-case letters. Pure and synchronous: the caller resolves
/// %{p} first (it needs DNS) and passes the validated name in.
/// </summary>
internal static class SpfMacroExpander
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public static string Expand(SpfMacroString macro, SpfCheckContext context, string domain, string? validatedName)
    {
        if (macro.Literal is not null)
        {
            return macro.Literal;
        }

        var builder = t_builder ?? new StringBuilder(256);
        t_builder = null;
        builder.Clear();
        foreach (var segment in macro.Segments)
        {
            if (segment.Literal is not null)
            {
                builder.Append(segment.Literal);
                continue;
            }

            var value = Value(segment.Letter, context, domain, validatedName);
            if (!segment.HasTransformers && !segment.UrlEscape)
            {
                builder.Append(value);
                continue;
            }

            var start = builder.Length;
            if (segment.HasTransformers)
            {
                AppendTransformed(builder, value, segment);
            }
            else
            {
                builder.Append(value);
            }

            if (segment.UrlEscape)
            {
                UrlEscapeFrom(builder, start);
            }
        }

        var result = builder.ToString();
        if (builder.Capacity <= 4096)
        {
            t_builder = builder;
        }

        return result;
    }

    private static string Value(char letter, SpfCheckContext context, string domain, string? validatedName) => letter switch
    {
        's' => context.Sender,
        'l' => context.LocalPart,
        'o' => context.SenderDomain,
        'd' => domain,
        'i' => context.Client.Dotted,
        'p' => validatedName ?? "unknown",
        'v' => context.Client.Version,
        'h' => context.Helo,
        'c' => context.Client.Readable,
        'r' => context.Receiver,
        't' => context.TimeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"macro letter '{letter}' passed the parser"),
    };

    // Split on the delimiters (default "."), optionally reverse, keep the right-most N parts, join with ".".
    private static void AppendTransformed(StringBuilder builder, string value, SpfMacroSegment segment)
    {
        var delimiters = segment.Delimiters ?? ".";
        var partCount = 1;
        foreach (var c in value)
        {
            if (delimiters.Contains(c, StringComparison.Ordinal))
            {
                partCount++;
            }
        }

        Span<Range> parts = partCount <= 128 ? stackalloc Range[partCount] : new Range[partCount];
        var count = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (delimiters.Contains(value[i], StringComparison.Ordinal))
            {
                parts[count++] = new Range(start, i);
                start = i + 1;
            }
        }

        parts[count++] = new Range(start, value.Length);
        if (segment.Reverse)
        {
            parts[..count].Reverse();
        }

        var keep = segment.RightParts == 0 || segment.RightParts > count ? count : segment.RightParts;
        for (var i = count - keep; i < count; i++)
        {
            if (i > count - keep)
            {
                builder.Append('.');
            }

            builder.Append(value.AsSpan()[parts[i]]);
        }
    }

    // unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986); everything else as %XX of its UTF-8 bytes.
    private static void UrlEscapeFrom(StringBuilder builder, int start)
    {
        var needs = false;
        for (var i = start; i < builder.Length; i++)
        {
            if (!IsUnreserved(builder[i]))
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return;
        }

        var raw = builder.ToString(start, builder.Length - start);
        builder.Length = start;
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (IsUnreserved(c))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < raw.Length
                ? Encoding.UTF8.GetBytes(raw.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(raw.AsSpan(i, 1), utf8);
            for (var b = 0; b < length; b++)
            {
                builder.Append('%').Append(utf8[b].ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
