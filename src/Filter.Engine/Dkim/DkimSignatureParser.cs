using System.Buffers;
using System.Text;

namespace Filter.Engine.Dkim;

/// <summary>
/// Reads a DKIM-Signature field value (RFC 6376 §3.5) strictly. Errors are values: any malformed or
/// missing required tag gives a reason, which the verifier reports as permerror (§6.1.1). Checks that
/// depend on the clock (t=, x= against now) and on policy (rsa-sha1) are the verifier's.
/// The value is read as the bytes received (<see cref="DkimSignatureTagReader"/>): strings are made only
/// of what the result keeps (d=, s=, i=, the h= names, b= for header.b).
/// </summary>
internal static class DkimSignatureParser
{
    private const int MaxTimestampDigits = 12;
    private const int MaxLengthDigits = 76;
    private static readonly SearchValues<char> QuotedPrintableSpecials = SearchValues.Create("= \t\r\n");

    /// <param name="rawValue">The field value after the colon, one char per byte (Latin-1).</param>
    public static DkimSignatureParseResult Parse(string rawValue) => Parse(Encoding.Latin1.GetBytes(rawValue));

    /// <param name="value">The field value after the colon, as received (folding included).</param>
    public static DkimSignatureParseResult Parse(ReadOnlySpan<byte> value)
    {
        Span<DkimTagRange> tags = stackalloc DkimTagRange[DkimSignatureTagReader.KnownTagCount];
        var tagError = DkimSignatureTagReader.Read(value, tags);
        if (tagError is not null)
        {
            return new DkimSignatureParseResult(null, "malformed tag list: " + tagError, string.Empty, null, string.Empty, string.Empty, null);
        }

        var dTag = tags[(int)DkimSignatureTag.Domain];
        var sTag = tags[(int)DkimSignatureTag.Selector];
        var aTag = tags[(int)DkimSignatureTag.Algorithm];
        var iTag = tags[(int)DkimSignatureTag.Identity];
        var bTag = tags[(int)DkimSignatureTag.Signature];

        // Values hold only VALCHAR and whitespace (§3.2), all ASCII, so Latin-1 is exact.
        var domain = Text(value, dTag) ?? string.Empty;
        var selector = Text(value, sTag) ?? string.Empty;
        var algorithmText = aTag.Slice(value);
        var rawIdentity = Text(value, iTag);
        var b64 = bTag.IsPresent ? DkimEncoding.StripWhitespace(bTag.Slice(value)) : null;

        // The a= text only the error paths need; a parsed signature reports the canonical name.
        DkimSignatureParseResult Fail(string reason, ReadOnlySpan<byte> algorithm) =>
            new(null, reason, domain, rawIdentity, selector, Encoding.Latin1.GetString(algorithm), b64);

        // §3.5: v=, a=, b=, bh=, d=, h=, s= are required; v= must be "1".
        foreach (var (required, name) in (ReadOnlySpan<(DkimSignatureTag, string)>)[
            (DkimSignatureTag.Version, "v"), (DkimSignatureTag.Algorithm, "a"), (DkimSignatureTag.Signature, "b"),
            (DkimSignatureTag.BodyHash, "bh"), (DkimSignatureTag.Domain, "d"), (DkimSignatureTag.SignedHeaders, "h"),
            (DkimSignatureTag.Selector, "s")])
        {
            if (!tags[(int)required].IsPresent)
            {
                return Fail($"required tag {name}= is missing", algorithmText);
            }
        }

        var version = tags[(int)DkimSignatureTag.Version].Slice(value);
        if (!version.SequenceEqual("1"u8))
        {
            return Fail($"unsupported version v={Encoding.Latin1.GetString(version)}", algorithmText);
        }

        // Matched case-insensitively, without a lower-cased copy; the canonical name is a constant.
        DkimAlgorithm algorithm;
        string canonicalAlgorithmName;
        if (Ascii.EqualsIgnoreCase(algorithmText, "rsa-sha256"u8))
        {
            algorithm = DkimAlgorithm.RsaSha256;
            canonicalAlgorithmName = "rsa-sha256";
        }
        else if (Ascii.EqualsIgnoreCase(algorithmText, "ed25519-sha256"u8))
        {
            algorithm = DkimAlgorithm.Ed25519Sha256;
            canonicalAlgorithmName = "ed25519-sha256";
        }
        else if (Ascii.EqualsIgnoreCase(algorithmText, "rsa-sha1"u8))
        {
            algorithm = DkimAlgorithm.RsaSha1;
            canonicalAlgorithmName = "rsa-sha1";
        }
        else
        {
            return Fail($"unsupported algorithm a={Encoding.Latin1.GetString(algorithmText)}", algorithmText);
        }

        var signatureBytes = DkimEncoding.DecodeBase64(b64!);
        if (signatureBytes is null || signatureBytes.Length == 0)
        {
            return Fail("b= is not valid base64", algorithmText);
        }

        var bodyHash = DkimEncoding.DecodeBase64(tags[(int)DkimSignatureTag.BodyHash].Slice(value));
        if (bodyHash is null || bodyHash.Length == 0)
        {
            return Fail("bh= is not valid base64", algorithmText);
        }

        var expectedHashLength = algorithm == DkimAlgorithm.RsaSha1 ? 20 : 32;
        if (bodyHash.Length != expectedHashLength)
        {
            return Fail($"bh= is {bodyHash.Length} bytes, not a {expectedHashLength}-byte hash", algorithmText);
        }

        var cTag = tags[(int)DkimSignatureTag.Canonicalization];
        if (!TryParseCanonicalization(cTag, value, out var headerCanonicalization, out var bodyCanonicalization))
        {
            return Fail($"unsupported canonicalization c={Encoding.Latin1.GetString(cTag.Slice(value))}", algorithmText);
        }

        if (domain.Length == 0 || !IsDomainName(domain))
        {
            return Fail($"d= is not a domain name: '{domain}'", algorithmText);
        }

        if (selector.Length == 0 || !IsSelector(selector))
        {
            return Fail($"s= is not a selector: '{selector}'", algorithmText);
        }

        var headerError = DkimSignedHeaderList.TryRead(tags[(int)DkimSignatureTag.SignedHeaders].Slice(value), out var signedHeaders, out var hasFrom);
        if (headerError is not null)
        {
            return Fail(headerError, algorithmText);
        }

        // §5.4: "The From header field MUST be signed"; §6.1.1 makes an unsigned From a PERMFAIL.
        if (!hasFrom)
        {
            return Fail("h= does not include From", algorithmText);
        }

        string? identity = null;
        if (rawIdentity is not null)
        {
            // Most i= values have no =XX escape and no FWS, and are ASCII (§3.2): then they are their own decoding.
            identity = rawIdentity.AsSpan().IndexOfAny(QuotedPrintableSpecials) < 0
                ? rawIdentity
                : DkimEncoding.DecodeQuotedPrintable(rawIdentity);
            var at = identity?.LastIndexOf('@') ?? -1;
            if (identity is null || at < 0)
            {
                return Fail($"i= is not an identity: '{rawIdentity}'", algorithmText);
            }

            // §3.5 i=: the domain part MUST be d= or a subdomain of it.
            var identityDomain = identity[(at + 1)..];
            if (!IsSameOrSubdomain(identityDomain, domain))
            {
                return Fail($"i= domain '{identityDomain}' is not d= or a subdomain of it", algorithmText);
            }
        }

        long? bodyLength = null;
        var lTag = tags[(int)DkimSignatureTag.BodyLength];
        if (lTag.IsPresent)
        {
            if (!TryParseDigits(lTag.Slice(value), MaxLengthDigits, out var length))
            {
                return Fail($"l= is not a length: '{Encoding.Latin1.GetString(lTag.Slice(value))}'", algorithmText);
            }

            bodyLength = length;
        }

        // §3.5 q=: only "dns/txt" is defined; a list without it leaves no way to get the key.
        var qTag = tags[(int)DkimSignatureTag.QueryMethods];
        if (qTag.IsPresent && !HasDnsTxt(qTag.Slice(value)))
        {
            return Fail($"no supported query method in q={Encoding.Latin1.GetString(qTag.Slice(value))}", algorithmText);
        }

        long? timestamp = null;
        var tTag = tags[(int)DkimSignatureTag.Timestamp];
        if (tTag.IsPresent)
        {
            if (!TryParseDigits(tTag.Slice(value), MaxTimestampDigits, out var parsed))
            {
                return Fail($"t= is not a timestamp: '{Encoding.Latin1.GetString(tTag.Slice(value))}'", algorithmText);
            }

            timestamp = parsed;
        }

        long? expiration = null;
        var xTag = tags[(int)DkimSignatureTag.Expiration];
        if (xTag.IsPresent)
        {
            if (!TryParseDigits(xTag.Slice(value), MaxTimestampDigits, out var parsed))
            {
                return Fail($"x= is not a timestamp: '{Encoding.Latin1.GetString(xTag.Slice(value))}'", algorithmText);
            }

            expiration = parsed;
        }

        // §3.5 x=: "the value of the "x=" tag MUST be greater than the value of the "t=" tag".
        if (timestamp is not null && expiration is not null && expiration <= timestamp)
        {
            return Fail("x= is not later than t=", algorithmText);
        }

        var signature = new DkimSignature
        {
            Algorithm = algorithm,
            AlgorithmName = canonicalAlgorithmName,
            HeaderCanonicalization = headerCanonicalization,
            BodyCanonicalization = bodyCanonicalization,
            Domain = domain,
            Selector = selector,
            Identity = identity,
            SignedHeaders = signedHeaders,
            BodyLength = bodyLength,
            Timestamp = timestamp,
            Expiration = expiration,
            SignatureBytes = signatureBytes,
            BodyHash = bodyHash,
            SignatureBase64 = b64!,
            SignatureValueStart = bTag.ValueStart,
            SignatureValueEnd = bTag.ValueEnd,
        };
        return new DkimSignatureParseResult(signature, null, domain, identity, selector, canonicalAlgorithmName, b64);
    }

    public static bool IsSameOrSubdomain(string candidate, string domain) =>
        string.Equals(candidate, domain, StringComparison.OrdinalIgnoreCase)
        || (candidate.Length > domain.Length
            && candidate.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
            && candidate[candidate.Length - domain.Length - 1] == '.');

    /// <summary>A colon-separated list with FWS allowed around the items (h=, q=, key h=, s=, t=).</summary>
    public static string[] SplitList(string value)
    {
        var parts = value.Split(':');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim(' ', '\t', '\r', '\n');
        }

        return parts;
    }

    private static bool TryParseCanonicalization(DkimTagRange tag, ReadOnlySpan<byte> value, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        header = DkimCanonicalization.Simple;
        body = DkimCanonicalization.Simple;
        if (!tag.IsPresent)
        {
            return true;
        }

        var text = tag.Slice(value);
        var slash = text.IndexOf((byte)'/');
        var headerText = slash < 0 ? text : text[..slash];
        var bodyText = slash < 0 ? "simple"u8 : text[(slash + 1)..];
        return TryParseOne(headerText, out header) && TryParseOne(bodyText, out body);

        static bool TryParseOne(ReadOnlySpan<byte> text, out DkimCanonicalization result)
        {
            if (Ascii.EqualsIgnoreCase(text, "relaxed"u8))
            {
                result = DkimCanonicalization.Relaxed;
                return true;
            }

            result = DkimCanonicalization.Simple;
            return Ascii.EqualsIgnoreCase(text, "simple"u8);
        }
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> text, int maxDigits, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > maxDigits || text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }

        // More digits than a long holds saturate, which only makes l= unreachable.
        foreach (var b in text)
        {
            var digit = b - '0';
            if (value > (long.MaxValue - digit) / 10)
            {
                value = long.MaxValue;
                return true;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>q=: a colon-separated list with FWS around the items; true when "dns/txt" is one of them.</summary>
    private static bool HasDnsTxt(ReadOnlySpan<byte> list)
    {
        foreach (var range in list.Split((byte)':'))
        {
            if (Ascii.EqualsIgnoreCase(list[range].Trim(" \t\r\n"u8), "dns/txt"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value of a present tag as a string (ASCII by the tag-list grammar), or null.</summary>
    private static string? Text(ReadOnlySpan<byte> value, DkimTagRange tag) =>
        tag.IsPresent ? Encoding.Latin1.GetString(tag.Slice(value)) : null;

    private static bool IsDomainName(string domain)
    {
        if (domain.Length > 253)
        {
            return false;
        }

        var label = 0;
        foreach (var c in domain)
        {
            if (c == '.')
            {
                if (label == 0)
                {
                    return false;
                }

                label = 0;
                continue;
            }

            if (++label > 63 || !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c > 0x7F))
            {
                return false;
            }
        }

        // An empty domain or a trailing dot leaves an empty last label.
        return label > 0;
    }

    private static bool IsSelector(string selector) => IsDomainName(selector);
}
