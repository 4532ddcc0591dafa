namespace Filter.Engine.Dkim;

/// <summary>
/// Reads a DKIM-Signature field value (RFC 6376 §3.5) strictly. Errors are values: any malformed or
/// missing required tag gives a reason, which the verifier reports as permerror (§6.1.1). Checks that
/// depend on the clock (t=, x= against now) and on policy (rsa-sha1) are the verifier's.
/// </summary>
internal static class DkimSignatureParser
{
    private const int MaxTimestampDigits = 12;
    private const int MaxLengthDigits = 76;

    /// <param name="rawValue">The field value after the colon, one char per byte (Latin-1).</param>
    public static DkimSignatureParseResult Parse(string rawValue)
    {
        var tags = DkimTagListParser.Parse(rawValue);
        if (tags.Error is not null)
        {
            return new DkimSignatureParseResult(null, "malformed tag list: " + tags.Error, string.Empty, null, string.Empty, string.Empty, null);
        }

        var domain = DkimEncoding.ToUtf8(tags.GetValue("d") ?? string.Empty);
        var selector = DkimEncoding.ToUtf8(tags.GetValue("s") ?? string.Empty);
        var algorithmName = tags.GetValue("a") ?? string.Empty;
        var rawIdentity = tags.GetValue("i");
        var bText = tags.GetValue("b");
        var b64 = bText is null ? null : DkimEncoding.StripWhitespace(bText);

        DkimSignatureParseResult Fail(string reason) =>
            new(null, reason, domain, rawIdentity, selector, algorithmName, b64);

        // §3.5: v=, a=, b=, bh=, d=, h=, s= are required; v= must be "1".
        foreach (var required in (ReadOnlySpan<string>)["v", "a", "b", "bh", "d", "h", "s"])
        {
            if (!tags.TryGet(required, out _))
            {
                return Fail($"required tag {required}= is missing");
            }
        }

        if (tags.GetValue("v") != "1")
        {
            return Fail($"unsupported version v={tags.GetValue("v")}");
        }

        // Matched case-insensitively, without a lower-cased copy; the canonical name is a constant.
        DkimAlgorithm algorithm;
        string canonicalAlgorithmName;
        if (string.Equals(algorithmName, "rsa-sha256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DkimAlgorithm.RsaSha256;
            canonicalAlgorithmName = "rsa-sha256";
        }
        else if (string.Equals(algorithmName, "ed25519-sha256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DkimAlgorithm.Ed25519Sha256;
            canonicalAlgorithmName = "ed25519-sha256";
        }
        else if (string.Equals(algorithmName, "rsa-sha1", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DkimAlgorithm.RsaSha1;
            canonicalAlgorithmName = "rsa-sha1";
        }
        else
        {
            return Fail($"unsupported algorithm a={algorithmName}");
        }

        tags.TryGet("b", out var bTag);
        var signatureBytes = DkimEncoding.DecodeBase64(bTag.Value);
        if (signatureBytes is null || signatureBytes.Length == 0)
        {
            return Fail("b= is not valid base64");
        }

        var bodyHash = DkimEncoding.DecodeBase64(tags.GetValue("bh")!);
        if (bodyHash is null || bodyHash.Length == 0)
        {
            return Fail("bh= is not valid base64");
        }

        var expectedHashLength = algorithm == DkimAlgorithm.RsaSha1 ? 20 : 32;
        if (bodyHash.Length != expectedHashLength)
        {
            return Fail($"bh= is {bodyHash.Length} bytes, not a {expectedHashLength}-byte hash");
        }

        if (!TryParseCanonicalization(tags.GetValue("c"), out var headerCanonicalization, out var bodyCanonicalization))
        {
            return Fail($"unsupported canonicalization c={tags.GetValue("c")}");
        }

        if (domain.Length == 0 || !IsDomainName(domain))
        {
            return Fail($"d= is not a domain name: '{domain}'");
        }

        if (selector.Length == 0 || !IsSelector(selector))
        {
            return Fail($"s= is not a selector: '{selector}'");
        }

        var signedHeaders = SplitList(tags.GetValue("h")!);
        var hasFrom = false;
        foreach (var name in signedHeaders)
        {
            if (name.Length == 0 || !IsFieldName(name))
            {
                return Fail($"h= has an invalid header field name '{name}'");
            }

            hasFrom |= string.Equals(name, "from", StringComparison.OrdinalIgnoreCase);
        }

        // §5.4: "The From header field MUST be signed"; §6.1.1 makes an unsigned From a PERMFAIL.
        if (!hasFrom)
        {
            return Fail("h= does not include From");
        }

        string? identity = null;
        if (rawIdentity is not null)
        {
            identity = DkimEncoding.DecodeQuotedPrintable(rawIdentity);
            var at = identity?.LastIndexOf('@') ?? -1;
            if (identity is null || at < 0)
            {
                return Fail($"i= is not an identity: '{rawIdentity}'");
            }

            // §3.5 i=: the domain part MUST be d= or a subdomain of it.
            var identityDomain = identity[(at + 1)..];
            if (!IsSameOrSubdomain(identityDomain, domain))
            {
                return Fail($"i= domain '{identityDomain}' is not d= or a subdomain of it");
            }
        }

        long? bodyLength = null;
        if (tags.TryGet("l", out var lTag))
        {
            if (!TryParseDigits(lTag.Value, MaxLengthDigits, out var length))
            {
                return Fail($"l= is not a length: '{lTag.Value}'");
            }

            bodyLength = length;
        }

        // §3.5 q=: only "dns/txt" is defined; a list without it leaves no way to get the key.
        if (tags.TryGet("q", out var qTag))
        {
            var supported = false;
            foreach (var method in SplitList(qTag.Value))
            {
                supported |= string.Equals(method, "dns/txt", StringComparison.OrdinalIgnoreCase);
            }

            if (!supported)
            {
                return Fail($"no supported query method in q={qTag.Value}");
            }
        }

        long? timestamp = null;
        if (tags.TryGet("t", out var tTag))
        {
            if (!TryParseDigits(tTag.Value, MaxTimestampDigits, out var value))
            {
                return Fail($"t= is not a timestamp: '{tTag.Value}'");
            }

            timestamp = value;
        }

        long? expiration = null;
        if (tags.TryGet("x", out var xTag))
        {
            if (!TryParseDigits(xTag.Value, MaxTimestampDigits, out var value))
            {
                return Fail($"x= is not a timestamp: '{xTag.Value}'");
            }

            expiration = value;
        }

        // §3.5 x=: "the value of the "x=" tag MUST be greater than the value of the "t=" tag".
        if (timestamp is not null && expiration is not null && expiration <= timestamp)
        {
            return Fail("x= is not later than t=");
        }

        var signature = new DkimSignature
        {
            RawValue = rawValue,
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
        return new DkimSignatureParseResult(signature, null, domain, identity, selector, algorithmName, b64);
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

    private static bool TryParseCanonicalization(string? value, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        header = DkimCanonicalization.Simple;
        body = DkimCanonicalization.Simple;
        if (value is null)
        {
            return true;
        }

        var text = value.AsSpan();
        var slash = text.IndexOf('/');
        var headerText = slash < 0 ? text : text[..slash];
        var bodyText = slash < 0 ? "simple" : text[(slash + 1)..];
        return TryParseOne(headerText, out header) && TryParseOne(bodyText, out body);

        static bool TryParseOne(ReadOnlySpan<char> text, out DkimCanonicalization result)
        {
            if (text.Equals("relaxed", StringComparison.OrdinalIgnoreCase))
            {
                result = DkimCanonicalization.Relaxed;
                return true;
            }

            result = DkimCanonicalization.Simple;
            return text.Equals("simple", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static bool TryParseDigits(string text, int maxDigits, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > maxDigits)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        // More than 18 digits cannot overflow-check cheaply; saturate, which only makes l= unreachable.
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)
            || (value = long.MaxValue) == long.MaxValue;
    }

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

    private static bool IsFieldName(string name)
    {
        // RFC 5322 §3.6.8 ftext: printable US-ASCII except ':'.
        foreach (var c in name)
        {
            if (c < 0x21 || c > 0x7E || c == ':')
            {
                return false;
            }
        }

        return true;
    }
}
