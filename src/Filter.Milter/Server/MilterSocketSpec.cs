using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Filter.Milter.Server;

/// <summary>
/// A milter socket as the MTAs write it (milter reference §12): Postfix's <c>inet:host:port</c>,
/// <c>inet:[::1]:port</c> and <c>unix:/path</c> (<c>local:</c> is a synonym), and Sendmail's
/// <c>inet:port@host</c>, <c>inet6:port@host</c> and <c>local:/path</c>. A spec without a host
/// (<c>inet:8891</c>) means the loopback address: a milter has no TLS and no authentication,
/// so it listens on loopback unless told otherwise.
/// </summary>
/// <param name="Kind">TCP or Unix socket.</param>
/// <param name="Host">Host or address for TCP (IPv6 without brackets); empty for Unix.</param>
/// <param name="Port">TCP port (0 = any free port when listening); 0 for Unix.</param>
/// <param name="Path">Socket file path for Unix; empty for TCP.</param>
public sealed record MilterSocketSpec(MilterSocketKind Kind, string Host, int Port, string Path)
{
    /// <summary>A TCP spec.</summary>
    public static MilterSocketSpec Inet(string host, int port) => new(MilterSocketKind.Inet, host, port, string.Empty);

    /// <summary>A Unix socket spec.</summary>
    public static MilterSocketSpec Unix(string path) => new(MilterSocketKind.Unix, string.Empty, 0, path);

    /// <summary>Parses a spec; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out MilterSocketSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty socket spec";
            return false;
        }

        text = text.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"'{text}' has no 'inet:' or 'unix:' prefix";
            return false;
        }

        string scheme = text[..colon].ToLowerInvariant();
        string rest = text[(colon + 1)..];
        switch (scheme)
        {
            case "unix":
            case "local":
                if (rest.Length == 0)
                {
                    error = $"'{text}' has no socket path";
                    return false;
                }

                spec = Unix(rest);
                return true;
            case "inet":
            case "inet6":
                return TryParseInet(text, rest, scheme == "inet6", out spec, out error);
            default:
                error = $"'{text}': unknown socket type '{scheme}' (inet, inet6, unix or local)";
                return false;
        }
    }

    /// <summary>Parses a spec.</summary>
    /// <exception cref="FormatException">The text is not a socket spec.</exception>
    public static MilterSocketSpec Parse(string text) =>
        TryParse(text, out MilterSocketSpec? spec, out string? error) ? spec! : throw new FormatException(error);

    private static bool TryParseInet(string text, string rest, bool inet6, out MilterSocketSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        string host;
        string port;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // Sendmail: port@host.
            port = rest[..at];
            host = rest[(at + 1)..];
        }
        else if (rest.StartsWith('['))
        {
            // Postfix: [ipv6]:port.
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
            {
                error = $"'{text}': expected [address]:port";
                return false;
            }

            host = rest[1..close];
            port = rest[(close + 2)..];
        }
        else
        {
            int last = rest.LastIndexOf(':');
            if (last < 0)
            {
                host = string.Empty;
                port = rest;
            }
            else
            {
                host = rest[..last];
                port = rest[(last + 1)..];
                if (host.Contains(':', StringComparison.Ordinal))
                {
                    error = $"'{text}': write an IPv6 address in brackets, inet:[::1]:port";
                    return false;
                }
            }
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber) || portNumber > 65535)
        {
            error = $"'{text}': '{port}' is not a port number";
            return false;
        }

        if (host.Length == 0)
        {
            host = inet6 ? IPAddress.IPv6Loopback.ToString() : IPAddress.Loopback.ToString();
        }

        spec = Inet(host, portNumber);
        return true;
    }

    /// <summary>
    /// The address to bind for a TCP spec: an IP literal, <c>localhost</c> (loopback) or
    /// <c>*</c> (all IPv4 addresses). Host names are refused: a listener must not depend on DNS.
    /// </summary>
    public bool TryGetBindAddress(out IPAddress? address)
    {
        address = null;
        if (Kind != MilterSocketKind.Inet)
        {
            return false;
        }

        if (Host == "*")
        {
            address = IPAddress.Any;
            return true;
        }

        if (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        return IPAddress.TryParse(Host, out address);
    }

    /// <summary>The endpoint to connect to or bind (TCP host names are resolved by the caller).</summary>
    internal EndPoint ToEndPoint()
    {
        if (Kind == MilterSocketKind.Unix)
        {
            return new UnixDomainSocketEndPoint(Path);
        }

        return TryGetBindAddress(out IPAddress? address) ? new IPEndPoint(address!, Port) : new DnsEndPoint(Host, Port);
    }

    /// <summary>An unconnected stream socket of the right family for a client of this spec (unix or TCP).</summary>
    internal Socket CreateClientSocket() => Kind == MilterSocketKind.Unix
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(SocketType.Stream, ProtocolType.Tcp);

    /// <summary>The Postfix form: <c>inet:127.0.0.1:8891</c>, <c>inet:[::1]:8891</c>, <c>unix:/path</c>.</summary>
    public override string ToString() => Kind == MilterSocketKind.Unix
        ? "unix:" + Path
        : Host.Contains(':', StringComparison.Ordinal) ? $"inet:[{Host}]:{Port}" : $"inet:{Host}:{Port}";
}
