using System.Globalization;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Milter socket specifications in the notation Postfix uses in <c>smtpd_milters</c>:
/// <c>inet:ADDRESS:PORT</c> (IPv6 in brackets) and <c>unix:/absolute/path</c>. Sendmail's
/// <c>inet:PORT@HOST</c> form is recognised only to say what to write instead.
/// </summary>
internal static class SocketSpecText
{
    public const string Expected = "a socket such as inet:127.0.0.1:8891, inet:[::1]:8891 or unix:/run/authfilter/milter.sock";

    /// <summary>Null on success, otherwise the problem.</summary>
    public static string? TryParse(string text, out ListenSocket socket)
    {
        socket = ListenSocket.DefaultLoopback;
        if (text.StartsWith("inet:", StringComparison.Ordinal))
        {
            var rest = text["inet:".Length..];
            if (rest.Contains('@', StringComparison.Ordinal))
            {
                return $"'{text}' is Sendmail's PORT@HOST form; write inet:HOST:PORT (e.g. inet:127.0.0.1:8891)";
            }

            var error = AddressText.TryParseEndpoint(rest, defaultPort: null, out var endpoint);
            if (error is not null)
            {
                return error;
            }

            socket = ListenSocket.Inet(endpoint);
            return null;
        }

        if (text.StartsWith("unix:", StringComparison.Ordinal) || text.StartsWith("local:", StringComparison.Ordinal))
        {
            var path = text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..];
            if (!path.StartsWith('/'))
            {
                return $"the unix socket path must be absolute, got '{path}'";
            }

            if (path.EndsWith('/'))
            {
                return $"the unix socket path names a directory, got '{path}'";
            }

            // sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
            if (System.Text.Encoding.UTF8.GetByteCount(path) > 107)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the unix socket path is longer than the 107 bytes a socket address holds, got {path.Length} characters");
            }

            socket = ListenSocket.Unix(path, ListenSocket.DefaultUnixMode);
            return null;
        }

        return $"expected {Expected}, got '{text}'";
    }

    /// <summary>A unix file mode written in octal, <c>0660</c> or <c>660</c>.</summary>
    public static bool TryParseMode(string text, out UnixFileMode mode)
    {
        mode = default;
        if (text.Length is < 3 or > 4)
        {
            return false;
        }

        var value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        if (value > 0x1FF)
        {
            return false; // setuid, setgid and sticky bits mean nothing on a socket.
        }

        mode = (UnixFileMode)value;
        return true;
    }

    public static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
