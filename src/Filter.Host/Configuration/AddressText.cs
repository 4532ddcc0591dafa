using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Filter.Host.Configuration;

/// <summary>
/// Strict parsing of the IP addresses, endpoints and networks written in the policy file.
/// IPAddress.TryParse alone accepts legacy forms ("127.1", "0x7f.1", a bare "1") that an admin
/// almost never means; here an IPv4 address is exactly four decimal parts and an IPv6 address has
/// no zone index. Each method returns null on success and otherwise what was expected.
/// </summary>
internal static class AddressText
{
    public static string? TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal)
                || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"expected an IPv6 address, got '{text}'";
            }

            address = v6;
            return null;
        }

        var parts = text.Split('.');
        var bytes = new byte[4];
        if (parts.Length != 4)
        {
            return LooksLikeHostName(text)
                ? $"expected an IP address, not a host name, got '{text}'"
                : $"expected an IPv4 address (four numbers 0-255 joined by dots), got '{text}'";
        }

        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3
                || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return LooksLikeHostName(text)
                    ? $"expected an IP address, not a host name, got '{text}'"
                    : $"expected an IPv4 address (four numbers 0-255 joined by dots), got '{text}'";
            }
        }

        address = new IPAddress(bytes);
        return null;
    }

    /// <summary>
    /// <c>ADDRESS:PORT</c>, <c>[IPV6]:PORT</c>, or (when <paramref name="defaultPort"/> is given) a bare
    /// address, which gets that port.
    /// </summary>
    public static string? TryParseEndpoint(string text, int? defaultPort, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        string addressText;
        string? portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return $"expected '[IPv6]:PORT', got '{text}'";
            }

            addressText = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0)
            {
                portText = null;
            }
            else if (rest[0] == ':')
            {
                portText = rest[1..];
            }
            else
            {
                return $"expected '[IPv6]:PORT', got '{text}'";
            }
        }
        else
        {
            var colons = text.Split(':').Length - 1;
            if (colons > 1)
            {
                // A bare IPv6 address: its port, if any, needs brackets.
                addressText = text;
                portText = null;
            }
            else if (colons == 1)
            {
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                addressText = text[..colon];
                portText = text[(colon + 1)..];
            }
            else
            {
                addressText = text;
                portText = null;
            }
        }

        var error = TryParseAddress(addressText, out var address);
        if (error is not null)
        {
            return error;
        }

        int port;
        if (portText is null)
        {
            if (defaultPort is null)
            {
                return $"expected ADDRESS:PORT, got '{text}' (the port is missing)";
            }

            port = defaultPort.Value;
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return $"port '{portText}' is out of range; expected 1 to 65535";
        }

        endpoint = new IPEndPoint(address, port);
        return null;
    }

    /// <summary>
    /// <c>ADDRESS/PREFIX</c> or a bare address (one host). Bits set beyond the prefix are an error
    /// with the network the admin probably meant, since "10.1.2.3/8" usually hides a typo.
    /// </summary>
    public static string? TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var error = TryParseAddress(addressText, out var address);
        if (error is not null)
        {
            return error.Replace("expected an IP", "expected a network such as 192.0.2.0/24 or 2001:db8::/32, i.e. an IP", StringComparison.Ordinal);
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                return $"prefix length '/{prefixText}' is out of range; expected /0 to /{bits} for an IPv{(bits == 32 ? 4 : 6)} network";
            }
        }

        var bytes = address.GetAddressBytes();
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            masked[i] &= (byte)(0xFF << (8 - keep));
        }

        if (!bytes.AsSpan().SequenceEqual(masked))
        {
            var meant = new IPAddress(masked) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            return $"'{text}' has host bits set beyond /{prefix}; did you mean '{meant}'?";
        }

        network = new IPNetwork(address, prefix);
        return null;
    }

    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool LooksLikeHostName(string text)
    {
        foreach (var c in text)
        {
            if (char.IsAsciiLetter(c))
            {
                return true;
            }
        }

        return false;
    }
}
