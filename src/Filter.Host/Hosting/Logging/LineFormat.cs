using System.Text;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting.Logging;

/// <summary>
/// The text of one log line, as the console logger wrote it before (simple single-line form, or
/// systemd form under journald), so that admins' greps keep working:
/// <c>2026-11-25T21:00:00.123Z info: Category[1000] message</c> or <c>&lt;6&gt;Category[1000] message</c>.
/// An exception follows on the same line.
/// </summary>
internal static class LineFormat
{
    public static void Append(StringBuilder line, LogLevel level, string category, EventId eventId, string message, Exception? exception, DateTimeOffset? timestamp)
    {
        if (timestamp is { } at)
        {
            AppendTimestamp(line, at.UtcDateTime);
            line.Append(' ').Append(Word(level)).Append(": ");
        }
        else
        {
            // RFC 5424 severities, as sd-daemon(3) prefixes expect.
            line.Append('<').Append(Priority(level)).Append('>');
        }

        line.Append(category).Append('[').Append(eventId.Id).Append("] ");
        AppendFlat(line, message);
        if (exception is not null)
        {
            line.Append(' ');
            AppendFlat(line, exception.ToString());
        }

        line.Append('\n');
    }

    // yyyy-MM-ddTHH:mm:ss.fffZ, digit by digit: a custom DateTime format string is parsed on every call.
    private static void AppendTimestamp(StringBuilder line, DateTime utc)
    {
        Span<char> stamp = stackalloc char[24];
        Digits(stamp[..4], utc.Year);
        stamp[4] = '-';
        Digits(stamp.Slice(5, 2), utc.Month);
        stamp[7] = '-';
        Digits(stamp.Slice(8, 2), utc.Day);
        stamp[10] = 'T';
        Digits(stamp.Slice(11, 2), utc.Hour);
        stamp[13] = ':';
        Digits(stamp.Slice(14, 2), utc.Minute);
        stamp[16] = ':';
        Digits(stamp.Slice(17, 2), utc.Second);
        stamp[19] = '.';
        Digits(stamp.Slice(20, 3), utc.Millisecond);
        stamp[23] = 'Z';
        line.Append(stamp);
    }

    private static void Digits(Span<char> into, int value)
    {
        for (int i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    // One entry is one line: line breaks inside a message (policy reload errors) or an exception's
    // stack trace become spaces, as the console formatters' single-line and systemd forms do, so a
    // journal entry keeps its priority and a grep for an EventId finds the whole entry.
    private static void AppendFlat(StringBuilder line, string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            line.Append(text);
            return;
        }

        bool lastWasBreak = false;
        foreach (char c in text)
        {
            bool isBreak = c is '\r' or '\n';
            if (!isBreak)
            {
                line.Append(c);
            }
            else if (!lastWasBreak)
            {
                line.Append(' ');
            }

            lastWasBreak = isBreak;
        }
    }

    private static string Word(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static int Priority(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 7,
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        LogLevel.Critical => 2,
        _ => 6,
    };
}
