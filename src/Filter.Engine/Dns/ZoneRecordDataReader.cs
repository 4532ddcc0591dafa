using System.Net;
using System.Net.Sockets;

namespace Filter.Engine.Dns;

/// <summary>
/// Reads the RDATA of one resource record (RFC 1035 §3.3, §5.1) and adds it to the zone. The types
/// the engine queries (A, AAAA, MX, TXT, PTR, and CNAME which the resolver follows) are kept; other
/// well-known types are checked and skipped, their owner still existing (NODATA, not NXDOMAIN).
/// </summary>
internal sealed class ZoneRecordDataReader(ZoneFileReadContext context, string file, byte[] source)
{
    /// <summary>RFC 1035 §3.3: a character-string is a length octet and at most 255 octets.</summary>
    public const int MaxCharacterStringOctets = 255;

    private const string KeptTypes = "A, AAAA, MX, TXT, PTR or CNAME";

    // Types a zone may hold that the engine never asks for: read, checked loosely, left out.
    // SPF (type 99) belongs here: RFC 7208 §3.1 retired it, and checkers query TXT only.
    private static readonly HashSet<string> SkippedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "SOA", "NS", "SPF", "DS", "CDS", "CAA", "DNAME", "DNSKEY", "CDNSKEY", "RRSIG", "NSEC", "NSEC3",
        "NSEC3PARAM", "SRV", "TLSA", "SMIMEA", "SSHFP", "HINFO", "NAPTR", "LOC", "RP", "AFSDB", "KX",
        "CERT", "IPSECKEY", "DHCID", "OPENPGPKEY", "SVCB", "HTTPS", "URI", "ZONEMD", "CSYNC", "HIP",
    };

    private readonly DnsZone _zone = context.Zone;

    /// <summary>The types an <c>authfilter:</c> failure directive may name: those the resolver is asked.</summary>
    public static bool TryQueryType(string text, out DnsRecordType type)
    {
        type = text.ToUpperInvariant() switch
        {
            "A" => DnsRecordType.A,
            "AAAA" => DnsRecordType.Aaaa,
            "MX" => DnsRecordType.Mx,
            "TXT" => DnsRecordType.Txt,
            "PTR" => DnsRecordType.Ptr,
            _ => 0,
        };
        return type != 0;
    }

    public void Read(string owner, uint ttl, ZoneToken typeToken, ReadOnlySpan<ZoneToken> data, ZoneToken end, string? origin)
    {
        var type = typeToken.Text.ToUpperInvariant();
        switch (type)
        {
            case "A":
                ReadAddress(owner, ttl, type, data, end, AddressFamily.InterNetwork);
                return;
            case "AAAA":
                ReadAddress(owner, ttl, type, data, end, AddressFamily.InterNetworkV6);
                return;
            case "MX":
                ReadMx(owner, ttl, data, end, origin);
                return;
            case "TXT":
                if (TryJoinCharacterStrings(type, data, end, out var text))
                {
                    _zone.AddTxt(owner, text);
                    _zone.SetTtl(owner, DnsRecordType.Txt, ttl);
                }

                return;
            case "PTR":
                if (TryOneName(type, data, end, origin, out var target))
                {
                    _zone.AddPtr(owner, target);
                    _zone.SetTtl(owner, DnsRecordType.Ptr, ttl);
                }

                return;
            case "CNAME":
                ReadCname(owner, ttl, typeToken, data, end, origin);
                return;
        }

        if (SkippedTypes.Contains(type) || IsGenericType(type, typeToken, out var failed))
        {
            if (CheckSkipped(type, data, end, origin))
            {
                _zone.AddOwner(owner);
            }

            return;
        }

        if (!failed)
        {
            Error(typeToken, $"unknown record type '{typeToken.Text}': expected {KeptTypes}, or a type that is skipped such as SOA, NS, DS or CAA");
        }
    }

    private void ReadAddress(string owner, uint ttl, string type, ReadOnlySpan<ZoneToken> data, ZoneToken end, AddressFamily family)
    {
        var what = family == AddressFamily.InterNetwork ? "an IPv4 address (a.b.c.d, four decimal octets 0-255)" : "an IPv6 address (RFC 4291 §2.2)";
        if (!Exactly(type, data, end, 1, what))
        {
            return;
        }

        var token = data[0];
        var parsed = family == AddressFamily.InterNetwork ? ParseIPv4(token.Text) : ParseIPv6(token.Text);
        if (token.Quoted || parsed is null)
        {
            Error(token, $"'{token.Text}' is not {what}");
            return;
        }

        if (family == AddressFamily.InterNetwork)
        {
            _zone.AddA(owner, parsed);
            _zone.SetTtl(owner, DnsRecordType.A, ttl);
        }
        else
        {
            _zone.AddAaaa(owner, parsed);
            _zone.SetTtl(owner, DnsRecordType.Aaaa, ttl);
        }
    }

    private void ReadMx(string owner, uint ttl, ReadOnlySpan<ZoneToken> data, ZoneToken end, string? origin)
    {
        if (!Exactly("MX", data, end, 2, "a preference (0-65535) and an exchange name"))
        {
            return;
        }

        if (!ZoneNumbers.TryParseUnsigned(data[0].Text, ushort.MaxValue, out var preference))
        {
            Error(data[0], $"'{data[0].Text}' is not an MX preference: expected a number from 0 to 65535");
            return;
        }

        // "." is the null MX of RFC 7505: the exchange is the root, kept as "".
        if (TryName(data[1], origin, out var exchange))
        {
            _zone.AddMx(owner, (ushort)preference, exchange);
            _zone.SetTtl(owner, DnsRecordType.Mx, ttl);
        }
    }

    private void ReadCname(string owner, uint ttl, ZoneToken typeToken, ReadOnlySpan<ZoneToken> data, ZoneToken end, string? origin)
    {
        if (!TryOneName("CNAME", data, end, origin, out var target))
        {
            return;
        }

        if (!context.AddCnameOwner(owner, new ZoneFileError(file, typeToken.Line, typeToken.Column, "")))
        {
            Error(typeToken, $"'{owner}' already has a CNAME: a name has at most one (RFC 2181 §10.1)");
            return;
        }

        _zone.AddCname(owner, target);
        _zone.SetTtl(owner, DnsRecordType.Cname, ttl);
    }

    /// <summary>
    /// RFC 1035 §3.3.14: TXT is one or more character-strings, quoted or single words. They are
    /// joined with no separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2) and the octets read as UTF-8.
    /// </summary>
    private bool TryJoinCharacterStrings(string type, ReadOnlySpan<ZoneToken> data, ZoneToken end, out string text)
    {
        text = "";
        if (data.Length == 0)
        {
            Error(end, $"expected at least one character-string after {type}, such as \"v=spf1 -all\" (\"\" for an empty one)");
            return false;
        }

        var total = 0;
        foreach (var token in data)
        {
            if (token.Octets.Length > MaxCharacterStringOctets)
            {
                Error(token, $"a character-string of {token.Octets.Length} octets is over {MaxCharacterStringOctets} (RFC 1035 §3.3): split it into several quoted strings");
                return false;
            }

            total += token.Octets.Length;
        }

        var joined = new byte[total];
        var offset = 0;
        foreach (var token in data)
        {
            token.Octets.CopyTo(joined, offset);
            offset += token.Octets.Length;
        }

        text = ZoneText.Decode(joined);
        return true;
    }

    /// <summary>
    /// A loose check of types that are skipped, enough to catch a line that is not what it claims:
    /// the field count and the fields that are names or numbers.
    /// </summary>
    private bool CheckSkipped(string type, ReadOnlySpan<ZoneToken> data, ZoneToken end, string? origin)
    {
        switch (type)
        {
            case "SPF":
                return TryJoinCharacterStrings(type, data, end, out _);
            case "NS" or "DNAME":
                return TryOneName(type, data, end, origin, out _);
            case "SOA":
                // RFC 1035 §3.3.13: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM.
                if (!Exactly(type, data, end, 7, "MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM"))
                {
                    return false;
                }

                if (!TryName(data[0], origin, out _) || !TryName(data[1], origin, out _))
                {
                    return false;
                }

                if (!ZoneNumbers.TryParseUnsigned(data[2].Text, uint.MaxValue, out _))
                {
                    Error(data[2], $"'{data[2].Text}' is not an SOA serial: expected a number from 0 to {uint.MaxValue}");
                    return false;
                }

                for (var i = 3; i < 7; i++)
                {
                    if (ZoneNumbers.TryParseTtl(data[i].Text, out _) is { } error)
                    {
                        Error(data[i], error);
                        return false;
                    }
                }

                return true;
            case "DS" or "CDS":
                // RFC 4034 §5.3: key tag, algorithm, digest type, digest in hex (may be split).
                if (data.Length < 4)
                {
                    Error(end, $"expected a key tag, an algorithm, a digest type and a digest after {type}");
                    return false;
                }

                return Unsigned(data[0], ushort.MaxValue, "key tag") && Unsigned(data[1], byte.MaxValue, "algorithm")
                    && Unsigned(data[2], byte.MaxValue, "digest type");
            case "CAA":
                // RFC 8659 §4.1.1: flags, tag, value.
                return Exactly(type, data, end, 3, "flags, a tag and a value") && Unsigned(data[0], byte.MaxValue, "CAA flags");
            default:
                if (data.Length == 0)
                {
                    Error(end, $"expected the data of the {type} record");
                    return false;
                }

                return true;
        }
    }

    /// <summary>
    /// RFC 3597 §5 <c>TYPEnnn</c>: skipped unless it is a type the zone keeps, which must be written
    /// with its name so its data is read.
    /// </summary>
    private bool IsGenericType(string type, ZoneToken typeToken, out bool failed)
    {
        failed = false;
        if (!type.StartsWith("TYPE", StringComparison.Ordinal) || !ZoneNumbers.TryParseUnsigned(type[4..], ushort.MaxValue, out var number))
        {
            return false;
        }

        if (Enum.IsDefined((DnsRecordType)(int)number))
        {
            failed = true;
            Error(typeToken, $"{typeToken.Text} is {((DnsRecordType)(int)number).ToString().ToUpperInvariant()}: write it by that name so its data is read");
            return false;
        }

        return true;
    }

    private bool TryOneName(string type, ReadOnlySpan<ZoneToken> data, ZoneToken end, string? origin, out string name)
    {
        name = "";
        return Exactly(type, data, end, 1, "a domain name") && TryName(data[0], origin, out name);
    }

    private bool TryName(ZoneToken token, string? origin, out string name)
    {
        name = "";
        if (token.Quoted)
        {
            Error(token, "expected a domain name, found a quoted string");
            return false;
        }

        // The name parser reads escapes from the source bytes: an escaped dot is not a separator.
        if (ZoneNameParser.TryParse(source.AsSpan(token.RawStart, token.RawLength), origin, out name) is { } error)
        {
            Error(token, error);
            return false;
        }

        return true;
    }

    private bool Unsigned(ZoneToken token, uint max, string what)
    {
        if (ZoneNumbers.TryParseUnsigned(token.Text, max, out _))
        {
            return true;
        }

        Error(token, $"'{token.Text}' is not a {what}: expected a number from 0 to {max}");
        return false;
    }

    private bool Exactly(string type, ReadOnlySpan<ZoneToken> data, ZoneToken end, int count, string what)
    {
        if (data.Length < count)
        {
            Error(end, $"expected {what} after {type}");
            return false;
        }

        if (data.Length > count)
        {
            Error(data[count], $"unexpected '{data[count].Text}': {type} has {what}, then the line ends");
            return false;
        }

        return true;
    }

    /// <summary>Four dotted decimal octets, no leading zeros (which some read as octal).</summary>
    private static IPAddress? ParseIPv4(string text)
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
    private static IPAddress? ParseIPv6(string text)
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

    private void Error(ZoneToken at, string message) => context.Errors.Add(new ZoneFileError(file, at.Line, at.Column, message));
}
