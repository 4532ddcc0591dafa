using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Filter.Engine.Spf;

/// <summary>
/// Parses a whole SPF record before anything is evaluated, so a syntax error anywhere gives
/// permerror (RFC 7208 §4.6: "without further interpretation"). Errors name the 1-based position.
/// </summary>
/// <remarks>
/// <code>
/// record    = "v=spf1" *( 1*SP ( directive / modifier ) ) *SP
/// directive = [ qualifier ] mechanism
/// modifier  = redirect / explanation / unknown-modifier     ; name "=" ...
/// </code>
/// </remarks>
internal static class SpfRecordParser
{
    /// <summary>The version tag, compared case-insensitively (§4.5).</summary>
    public const string Version = "v=spf1";

    /// <summary>
    /// True when <paramref name="text"/> is an SPF version 1 record: "v=spf1" in any case, then a
    /// space or the end (§4.5). Anything else (v=spf10, v=spf1mx) is not an SPF record at all.
    /// </summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith(Version, StringComparison.OrdinalIgnoreCase) && (text.Length == Version.Length || text[Version.Length] == ' ');

    public static SpfRecordParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsSpfRecord(text))
        {
            return new SpfRecordParseResult(null, "position 1: the record does not start with 'v=spf1'");
        }

        var directives = new List<SpfDirective>();
        SpfMacroString? redirect = null;
        SpfMacroString? explanation = null;
        var hasAll = false;
        var i = Version.Length;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            // Only SP separates terms (§4.6.1); any other byte, control or not, is part of the term.
            var end = text.IndexOf(' ', i);
            if (end < 0)
            {
                end = text.Length;
            }

            var modifierName = ModifierNameLength(text, i, end);
            string? error;
            if (modifierName > 0)
            {
                var name = text.AsSpan(i, modifierName);
                var valueStart = i + modifierName + 1;
                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    var isRedirect = name.Length == 8;
                    if ((isRedirect ? redirect : explanation) is not null)
                    {
                        return Error(i, $"'{name}' appears more than once (RFC 7208 §6)");
                    }

                    if (!TryParseDomainSpec(text, valueStart, end, out var spec, out error))
                    {
                        return new SpfRecordParseResult(null, $"{name}=: {error}");
                    }

                    if (isRedirect)
                    {
                        redirect = spec;
                    }
                    else
                    {
                        explanation = spec;
                    }
                }
                else if (!SpfMacroString.TryParse(text, valueStart, end, SpfMacroSyntax.UnknownModifier, out _, out error))
                {
                    // Unknown modifiers are ignored, but their value must still be a macro-string (§6, §12).
                    return new SpfRecordParseResult(null, $"modifier '{name}': {error}");
                }
            }
            else
            {
                if (!TryParseDirective(text, i, end, out var directive, out error))
                {
                    return new SpfRecordParseResult(null, error);
                }

                hasAll |= directive!.Kind == SpfMechanismKind.All;
                directives.Add(directive);
            }

            i = end;
        }

        var record = new SpfRecord
        {
            Text = text,
            Directives = [.. directives],
            Redirect = redirect,
            Explanation = explanation,
            HasAll = hasAll,
        };
        return new SpfRecordParseResult(record, null);
    }

    // name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), followed by "=". Returns the name length or 0.
    private static int ModifierNameLength(string text, int start, int end)
    {
        if (!char.IsAsciiLetter(text[start]))
        {
            return 0;
        }

        var i = start + 1;
        while (i < end && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_' or '.'))
        {
            i++;
        }

        return i < end && text[i] == '=' ? i - start : 0;
    }

    private static bool TryParseDirective(string text, int start, int end, out SpfDirective? directive, out string? error)
    {
        directive = null;
        var qualifier = SpfQualifier.Pass;
        var i = start;
        switch (text[i])
        {
            case '+': i++; break;
            case '-': qualifier = SpfQualifier.Fail; i++; break;
            case '~': qualifier = SpfQualifier.SoftFail; i++; break;
            case '?': qualifier = SpfQualifier.Neutral; i++; break;
        }

        var nameEnd = i;
        while (nameEnd < end && text[nameEnd] != ':' && text[nameEnd] != '/')
        {
            nameEnd++;
        }

        var name = text.AsSpan(i, nameEnd - i);
        var termText = text.Substring(start, end - start);
        if (!TryGetKind(name, out var kind))
        {
            error = $"position {i + 1}: unknown mechanism '{Printable(termText)}'";
            return false;
        }

        var hasColon = nameEnd < end && text[nameEnd] == ':';
        var argStart = hasColon ? nameEnd + 1 : nameEnd;
        switch (kind)
        {
            case SpfMechanismKind.All:
                if (nameEnd != end)
                {
                    error = $"position {nameEnd + 1}: 'all' takes no argument";
                    return false;
                }

                directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind };
                error = null;
                return true;

            case SpfMechanismKind.Include:
            case SpfMechanismKind.Exists:
            {
                if (!hasColon)
                {
                    error = $"position {nameEnd + 1}: '{name}' needs ':' and a domain-spec";
                    return false;
                }

                if (!TryParseDomainSpec(text, argStart, end, out var spec, out error))
                {
                    error = $"{name}: {error}";
                    return false;
                }

                directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind, DomainSpec = spec };
                return true;
            }

            case SpfMechanismKind.Ptr:
            {
                if (nameEnd == end)
                {
                    directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind };
                    error = null;
                    return true;
                }

                if (!hasColon)
                {
                    error = $"position {nameEnd + 1}: 'ptr' takes no CIDR length";
                    return false;
                }

                if (!TryParseDomainSpec(text, argStart, end, out var spec, out error))
                {
                    error = $"ptr: {error}";
                    return false;
                }

                directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind, DomainSpec = spec };
                return true;
            }

            case SpfMechanismKind.A:
            case SpfMechanismKind.Mx:
            {
                if (!TrySplitDualCidr(text, argStart, end, out var specEnd, out var cidr4, out var cidr6, out error))
                {
                    return false;
                }

                SpfMacroString? spec = null;
                if (hasColon)
                {
                    if (!TryParseDomainSpec(text, argStart, specEnd, out spec, out error))
                    {
                        error = $"{name}: {error}";
                        return false;
                    }
                }
                else if (specEnd != argStart)
                {
                    error = $"position {argStart + 1}: bad CIDR length in '{Printable(termText)}'";
                    return false;
                }

                directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind, DomainSpec = spec, Cidr4 = cidr4, Cidr6 = cidr6 };
                return true;
            }

            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
            {
                if (!hasColon || argStart == end)
                {
                    error = $"position {nameEnd + 1}: '{name}' needs ':' and a network";
                    return false;
                }

                var slash = text.IndexOf('/', argStart, end - argStart);
                var networkEnd = slash < 0 ? end : slash;
                var isIp4 = kind == SpfMechanismKind.Ip4;
                var prefix = isIp4 ? 32 : 128;
                if (slash >= 0 && !TryParseCidr(text, slash + 1, end, prefix, out prefix, out error))
                {
                    return false;
                }

                var network = text.AsSpan(argStart, networkEnd - argStart);
                if (isIp4)
                {
                    if (!TryParseIp4(network, out var value))
                    {
                        error = $"position {argStart + 1}: '{Printable(network.ToString())}' is not an IPv4 address";
                        return false;
                    }

                    directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind, Network4 = value, Cidr4 = prefix };
                }
                else
                {
                    if (!TryParseIp6(network, out var value))
                    {
                        error = $"position {argStart + 1}: '{Printable(network.ToString())}' is not an IPv6 address";
                        return false;
                    }

                    directive = new SpfDirective { Text = termText, Qualifier = qualifier, Kind = kind, Network6 = value, Cidr6 = prefix };
                }

                error = null;
                return true;
            }

            default:
                throw new InvalidOperationException($"unhandled mechanism {kind}");
        }
    }

    private static bool TryGetKind(ReadOnlySpan<char> name, out SpfMechanismKind kind)
    {
        Span<char> lower = stackalloc char[8];
        if (name.Length > lower.Length || name.ToLowerInvariant(lower) < 0)
        {
            kind = default;
            return false;
        }

        switch (lower[..name.Length])
        {
            case "all": kind = SpfMechanismKind.All; return true;
            case "include": kind = SpfMechanismKind.Include; return true;
            case "a": kind = SpfMechanismKind.A; return true;
            case "mx": kind = SpfMechanismKind.Mx; return true;
            case "ptr": kind = SpfMechanismKind.Ptr; return true;
            case "ip4": kind = SpfMechanismKind.Ip4; return true;
            case "ip6": kind = SpfMechanismKind.Ip6; return true;
            case "exists": kind = SpfMechanismKind.Exists; return true;
            default: kind = default; return false;
        }
    }

    // dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], taken from the end of the term,
    // since a domain-spec may itself contain '/' (a:foo:bar/baz.example.com).
    private static bool TrySplitDualCidr(string text, int start, int end, out int specEnd, out int cidr4, out int cidr6, out string? error)
    {
        specEnd = end;
        cidr4 = 32;
        cidr6 = 128;
        error = null;
        var slash = LastNumericSlash(text, start, specEnd);
        if (slash < 0)
        {
            return true;
        }

        if (slash > start && text[slash - 1] == '/')
        {
            if (!TryParseCidr(text, slash + 1, specEnd, 128, out cidr6, out error))
            {
                return false;
            }

            specEnd = slash - 1;
            slash = LastNumericSlash(text, start, specEnd);
            if (slash < 0)
            {
                return true;
            }
        }

        if (!TryParseCidr(text, slash + 1, specEnd, 32, out cidr4, out error))
        {
            return false;
        }

        specEnd = slash;
        return true;
    }

    // The last '/' in [start, end) that is followed only by digits up to end, or -1.
    private static int LastNumericSlash(string text, int start, int end)
    {
        if (end <= start)
        {
            return -1;
        }

        var slash = text.LastIndexOf('/', end - 1, end - start);
        if (slash < 0 || slash == end - 1)
        {
            return -1;
        }

        for (var i = slash + 1; i < end; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return -1;
            }
        }

        return slash;
    }

    // ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), at most 32; ip6 likewise up to 128 (§5.6).
    private static bool TryParseCidr(string text, int start, int end, int max, out int value, out string? error)
    {
        value = 0;
        var digits = text.AsSpan(start, end - start);
        if (digits.IsEmpty || digits.Length > 3 || digits.ContainsAnyExceptInRange('0', '9') || (digits.Length > 1 && digits[0] == '0'))
        {
            error = $"position {start + 1}: '{Printable(digits.ToString())}' is not a CIDR length";
            return false;
        }

        foreach (var c in digits)
        {
            value = value * 10 + (c - '0');
        }

        if (value > max)
        {
            error = $"position {start + 1}: CIDR length {value} is over {max}";
            return false;
        }

        error = null;
        return true;
    }

    // ip4-network = qnum "." qnum "." qnum "." qnum, qnum = 0-255 without leading zeros (§5.6).
    internal static bool TryParseIp4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var parts = 0;
        var i = 0;
        while (parts < 4)
        {
            var start = i;
            var number = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                number = number * 10 + (text[i] - '0');
                i++;
            }

            var length = i - start;
            if (length == 0 || number > 255 || (length > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)number;
            parts++;
            if (parts < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == text.Length;
    }

    // ip6-network = <as per RFC 4291 §2.2>: hex digits, ':' and a trailing dotted quad; no zone id,
    // no brackets, and never a plain IPv4 address.
    internal static bool TryParseIp6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = UInt128.Zero;
        if (text.IsEmpty || text.Length > 45 || text.IndexOf(':') < 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    private static bool TryParseDomainSpec(string text, int start, int end, out SpfMacroString? spec, out string? error)
    {
        if (start >= end)
        {
            spec = null;
            error = $"position {start + 1}: the domain-spec is empty";
            return false;
        }

        if (!SpfMacroString.TryParse(text, start, end, SpfMacroSyntax.DomainSpec, out spec, out error))
        {
            return false;
        }

        if (!SpfDomainName.HasValidDomainEnd(spec!, out var problem))
        {
            error = $"position {start + 1}: {problem}";
            spec = null;
            return false;
        }

        return true;
    }

    private static SpfRecordParseResult Error(int index, string message) => new(null, $"position {index + 1}: {message}");

    // Error messages quote record text; keep them printable and short.
    internal static string Printable(string text)
    {
        const int MaxShown = 80;
        var shown = text.Length > MaxShown ? text[..MaxShown] : text;
        var builder = new System.Text.StringBuilder(shown.Length + 8);
        foreach (var c in shown)
        {
            if (c >= 0x20 && c <= 0x7E)
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.Length > MaxShown ? builder.Append("...").ToString() : builder.ToString();
    }
}
