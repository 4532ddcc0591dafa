using System.Net;
using System.Net.Sockets;

namespace Filter.Engine.Dns;

/// <summary>
/// Addresses as A and AAAA RDATA are written (RFC 1035 §3.4.1, RFC 3596 §2.4), strictly: the forms
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes (<c>127.1</c>, <c>0x7f.0.0.1</c>,
/// <c>fe80::1%eth0</c>) are not zone-file syntax.
/// </summary>
internal static class ZoneAddressParser
{
    /// <summary>Four dotted decimal octets, no leading zeros (which some read as octal).</summary>
    public static IPAddress? ParseIPv4(string text)
    {
        Span<byte> octets = stackalloc byte[4];
        var part = 0;
        var value = 0;
        var digits = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || part == 4 || (digits > 1 && text[i - digits] == '0'))
                {
                    return null;
                }

                octets[part++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }

            if (!char.IsAsciiDigit(text[i]) || ++digits > 3 || (value = (value * 10) + (text[i] - '0')) > 255)
            {
                return null;
            }
        }

        return part == 4 ? new IPAddress(octets) : null;
    }

    /// <summary>RFC 4291 §2.2 text forms only: no zone index, brackets or port.</summary>
    public static IPAddress? ParseIPv6(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
            {
                return null;
            }
        }

        return text.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6
            ? address
            : null;
    }
}
