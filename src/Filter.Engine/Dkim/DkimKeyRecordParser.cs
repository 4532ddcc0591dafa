namespace Filter.Engine.Dkim;

/// <summary>
/// Reads a DKIM key record (RFC 6376 §3.6.1, RFC 8463 §4.2) strictly: any problem is a reason string,
/// which the verifier reports as permerror (§6.1.2: "the key record is unusable").
/// </summary>
internal static class DkimKeyRecordParser
{
    public static bool TryParse(string text, out DkimKeyRecord? record, out string? error)
    {
        record = null;
        var tags = DkimTagListParser.Parse(text);
        if (tags.Error is not null)
        {
            error = "key record is malformed: " + tags.Error;
            return false;
        }

        // §3.6.1 v=: "If specified, this tag MUST be set to "DKIM1"" and MUST be the first tag.
        if (tags.TryGet("v", out var version))
        {
            if (version.Value != "DKIM1")
            {
                error = $"key record has v={version.Value}, not DKIM1";
                return false;
            }

            if (!string.Equals(tags.Tags[0].Name, "v", StringComparison.Ordinal))
            {
                error = "key record v= is not the first tag";
                return false;
            }
        }

        var keyType = DkimKeyType.Rsa;
        if (tags.TryGet("k", out var k))
        {
            switch (k.Value.ToLowerInvariant())
            {
                case "rsa":
                    keyType = DkimKeyType.Rsa;
                    break;
                case "ed25519":
                    keyType = DkimKeyType.Ed25519;
                    break;
                default:
                    error = $"key type k={k.Value} is not supported";
                    return false;
            }
        }

        string[]? hashes = null;
        if (tags.TryGet("h", out var h))
        {
            hashes = DkimSignatureParser.SplitList(h.Value.ToLowerInvariant());
        }

        // s=: "*" or a list that includes "email"; anything else means not for mail.
        if (tags.TryGet("s", out var s))
        {
            var forEmail = false;
            foreach (var service in DkimSignatureParser.SplitList(s.Value))
            {
                forEmail |= service == "*" || string.Equals(service, "email", StringComparison.OrdinalIgnoreCase);
            }

            if (!forEmail)
            {
                error = $"key is not for email (s={s.Value})";
                return false;
            }
        }

        var testing = false;
        var strict = false;
        if (tags.TryGet("t", out var t))
        {
            // Unknown flags are ignored (§3.6.1).
            foreach (var flag in DkimSignatureParser.SplitList(t.Value))
            {
                testing |= string.Equals(flag, "y", StringComparison.OrdinalIgnoreCase);
                strict |= string.Equals(flag, "s", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (!tags.TryGet("p", out var p))
        {
            error = "key record has no p=";
            return false;
        }

        if (p.Value.Length == 0)
        {
            error = "key revoked";
            return false;
        }

        var key = DkimEncoding.DecodeBase64(p.Value);
        if (key is null)
        {
            error = "key p= is not valid base64";
            return false;
        }

        record = new DkimKeyRecord
        {
            KeyType = keyType,
            AcceptableHashes = hashes,
            Testing = testing,
            StrictIdentity = strict,
            PublicKey = key,
        };
        error = null;
        return true;
    }
}
