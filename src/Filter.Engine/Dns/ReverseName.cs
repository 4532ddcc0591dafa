using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Filter.Engine.Dns;

/// <summary>Reverse-lookup names: in-addr.arpa (RFC 1035 §3.5) and ip6.arpa (RFC 3596 §2.5).</summary>
public static class ReverseName
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>The PTR query name for <paramref name="address"/>, without a trailing dot.</summary>
    public static string For(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var builder = new StringBuilder(address.AddressFamily == AddressFamily.InterNetwork ? 29 : 73);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                builder.Append(bytes[i]).Append('.');
            }

            return builder.Append("in-addr.arpa").ToString();
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            builder.Append(HexDigits[bytes[i] & 0xF]).Append('.');
            builder.Append(HexDigits[bytes[i] >> 4]).Append('.');
        }

        return builder.Append("ip6.arpa").ToString();
    }
}
