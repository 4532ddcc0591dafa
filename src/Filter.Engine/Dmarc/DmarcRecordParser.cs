namespace Filter.Engine.Dmarc;

/// <summary>
/// Reads one DMARC Policy Record (RFC 9989 §4.7, §4.8; RFC 7489 §6.3, §6.4 in <see cref="DmarcMode.Rfc7489"/>).
/// Never throws on record text: every outcome is a <see cref="DmarcRecordParseResult"/>.
/// </summary>
/// <remarks>
/// <code>
/// dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]
///   "v = DMARC1 ; p = reject ; adkim = s ;"
///    ^^^^^^^^^^   ^^^^^^^^^^   ^^^^^^^^^
///    must be first, value case-sensitive; then tag = value, separated by *WSP ";" *WSP
/// </code>
/// Tag names and keyword values are case-insensitive (ABNF literals, RFC 5234 §2.3); the version value
/// is not (%s"DMARC1"). Unknown tags are ignored and a tag with a bad value falls back to its default
/// (RFC 9989 §4.8 "MUST be discarded in favor of default values"); the first of two equal tags wins.
/// </remarks>
internal static class DmarcRecordParser
{
    public static DmarcRecordParseResult Parse(string text, DmarcMode mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        var firstSeparator = span.IndexOf(';');
        var versionPart = firstSeparator < 0 ? span : span[..firstSeparator];
        if (!IsVersionTag(TrimWsp(versionPart)))
        {
            // RFC 9989 §4.7 v: not first, absent or not exactly "DMARC1": the entire record is ignored.
            return new DmarcRecordParseResult(DmarcRecordParseStatus.NotDmarc, null, "does not start with v=DMARC1");
        }

        var state = new TagState();
        var warnings = new List<string>();
        var rest = firstSeparator < 0 ? ReadOnlySpan<char>.Empty : span[(firstSeparator + 1)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf(';');
            var part = TrimWsp(end < 0 ? rest : rest[..end]);
            rest = end < 0 ? ReadOnlySpan<char>.Empty : rest[(end + 1)..];
            if (part.IsEmpty)
            {
                continue; // a trailing or doubled separator
            }

            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                warnings.Add($"'{part}' is not tag=value; ignored");
                continue;
            }

            var name = TrimWsp(part[..equals]);
            var value = TrimWsp(part[(equals + 1)..]);
            if (!IsTagName(name))
            {
                warnings.Add($"'{part}' has no valid tag name; ignored");
                continue;
            }

            if (value.IsEmpty || !IsDmarcValue(value))
            {
                warnings.Add($"tag {name.ToString()} has an empty or non-printable value; default used");
                MarkSeen(ref state, name, mode, warnings, invalid: true);
                continue;
            }

            ApplyTag(ref state, name, value, mode, warnings);
        }

        return Build(text, state, mode, warnings);
    }

    private static DmarcRecordParseResult Build(string text, TagState state, DmarcMode mode, List<string> warnings)
    {
        var p = state.P ?? DmarcPolicy.None;
        var sp = state.Sp ?? p;
        var np = mode == DmarcMode.Rfc9989 ? state.Np ?? sp : sp;

        // RFC 9989 §4.10.1 / RFC 7489 §6.6.3 step 6: no valid p, or an invalid sp (or np in RFC 9989).
        var pProblem = state.P is null;
        var subProblem = state.SpInvalid || (mode == DmarcMode.Rfc9989 && state.NpInvalid);
        var status = DmarcRecordParseStatus.Record;
        string reason;
        if (pProblem || subProblem)
        {
            var what = pProblem ? (state.PSeen ? "invalid p" : "no p") : (state.SpInvalid ? "invalid sp" : "invalid np");
            if (state.HasValidRua)
            {
                // Act as if the record said p=none (RFC 9989 §4.10.1 first bullet).
                p = sp = np = DmarcPolicy.None;
                reason = $"{what}, valid rua: treated as p=none";
            }
            else
            {
                status = DmarcRecordParseStatus.NoDmarcProcessing;
                reason = $"{what} and no valid rua: no DMARC processing";
            }
        }
        else
        {
            reason = "valid DMARC record";
        }

        var record = new DmarcRecord(
            text,
            p,
            sp,
            np,
            state.Adkim,
            state.Aspf,
            mode == DmarcMode.Rfc9989 ? state.Psd : DmarcPsd.Unspecified,
            mode == DmarcMode.Rfc9989 && state.TestMode,
            mode == DmarcMode.Rfc7489 ? state.Percent : 100,
            state.Rua ?? [],
            state.Ruf ?? [],
            state.Fo ?? "0",
            warnings);
        return new DmarcRecordParseResult(status, record, reason);
    }

    private static void ApplyTag(ref TagState state, ReadOnlySpan<char> name, ReadOnlySpan<char> value, DmarcMode mode, List<string> warnings)
    {
        if (!MarkSeen(ref state, name, mode, warnings, invalid: false))
        {
            return;
        }

        var tag = name.ToString();
        switch (Tag(name, mode))
        {
            case KnownTag.P:
                state.P = ParsePolicy(value);
                state.PSeen = true;
                if (state.P is null)
                {
                    warnings.Add($"p={value.ToString()} is not none, quarantine or reject");
                }

                break;
            case KnownTag.Sp:
                state.Sp = ParsePolicy(value);
                state.SpInvalid = state.Sp is null;
                if (state.SpInvalid)
                {
                    warnings.Add($"sp={value.ToString()} is not none, quarantine or reject");
                }

                break;
            case KnownTag.Np:
                state.Np = ParsePolicy(value);
                state.NpInvalid = state.Np is null;
                if (state.NpInvalid)
                {
                    warnings.Add($"np={value.ToString()} is not none, quarantine or reject");
                }

                break;
            case KnownTag.Adkim:
                state.Adkim = ParseAlignment(value, tag, warnings);
                break;
            case KnownTag.Aspf:
                state.Aspf = ParseAlignment(value, tag, warnings);
                break;
            case KnownTag.Psd:
                state.Psd = value.Equals("y", StringComparison.OrdinalIgnoreCase) ? DmarcPsd.Yes
                    : value.Equals("n", StringComparison.OrdinalIgnoreCase) ? DmarcPsd.No
                    : DmarcPsd.Unspecified;
                if (state.Psd == DmarcPsd.Unspecified && !value.Equals("u", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"psd={value.ToString()} is not y, n or u; default u used");
                }

                break;
            case KnownTag.T:
                state.TestMode = value.Equals("y", StringComparison.OrdinalIgnoreCase);
                if (!state.TestMode && !value.Equals("n", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"t={value.ToString()} is not y or n; default n used");
                }

                break;
            case KnownTag.Rua:
                state.Rua = ParseUriList(value, out var anyValid);
                state.HasValidRua = anyValid;
                if (!anyValid)
                {
                    warnings.Add("rua has no syntactically valid URI");
                }

                break;
            case KnownTag.Ruf:
                state.Ruf = ParseUriList(value, out _);
                break;
            case KnownTag.Fo:
                if (IsValidFo(value))
                {
                    state.Fo = value.ToString().ToLowerInvariant();
                }
                else
                {
                    warnings.Add($"fo={value.ToString()} is not valid; default 0 used");
                }

                break;
            case KnownTag.Pct:
                // RFC 7489 §6.3 pct: integer 0-100; anything else falls back to 100 (RFC 7489 §6.3 last paragraph).
                if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pct)
                    && value.Length <= 3 && pct <= 100)
                {
                    state.Percent = pct;
                }
                else
                {
                    warnings.Add($"pct={value.ToString()} is not 0-100; default 100 used");
                }

                break;
            case KnownTag.Rf:
            case KnownTag.Ri:
                // RFC 7489 §6.3 report format and interval: parsed for completeness, no reports are sent here.
                break;
            case KnownTag.Ignored:
                // RFC 9989 Appendix A.6 / §4.7: pct, rf and ri are not DMARC tags any more; RFC 7489
                // knows no np, psd or t. Unknown tags MUST be ignored (RFC 9989 §4.8).
                break;
            default:
                break;
        }
    }

    /// <summary>Records that a tag was seen; false (and a warning) for the second of two equal tags.</summary>
    private static bool MarkSeen(ref TagState state, ReadOnlySpan<char> name, DmarcMode mode, List<string> warnings, bool invalid)
    {
        var tag = Tag(name, mode);
        if (tag is KnownTag.Unknown or KnownTag.Ignored)
        {
            return true;
        }

        var bit = 1 << (int)tag;
        if ((state.Seen & bit) != 0)
        {
            warnings.Add($"tag {name.ToString()} appears twice; the first one is used");
            return false;
        }

        state.Seen |= bit;
        if (invalid)
        {
            // An empty value is a syntax error: the tag takes its default. For p, sp and np that
            // means "not valid" in the sense of RFC 9989 §4.10.1.
            switch (tag)
            {
                case KnownTag.P:
                    state.PSeen = true;
                    break;
                case KnownTag.Sp:
                    state.SpInvalid = true;
                    break;
                case KnownTag.Np:
                    state.NpInvalid = true;
                    break;
                default:
                    break;
            }
        }

        return true;
    }

    private static KnownTag Tag(ReadOnlySpan<char> name, DmarcMode mode)
    {
        static bool Is(ReadOnlySpan<char> a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);
        var rfc9989 = mode == DmarcMode.Rfc9989;
        if (Is(name, "p"))
        {
            return KnownTag.P;
        }

        if (Is(name, "sp"))
        {
            return KnownTag.Sp;
        }

        if (Is(name, "adkim"))
        {
            return KnownTag.Adkim;
        }

        if (Is(name, "aspf"))
        {
            return KnownTag.Aspf;
        }

        if (Is(name, "rua"))
        {
            return KnownTag.Rua;
        }

        if (Is(name, "ruf"))
        {
            return KnownTag.Ruf;
        }

        if (Is(name, "fo"))
        {
            return KnownTag.Fo;
        }

        if (Is(name, "np"))
        {
            return rfc9989 ? KnownTag.Np : KnownTag.Ignored;
        }

        if (Is(name, "psd"))
        {
            return rfc9989 ? KnownTag.Psd : KnownTag.Ignored;
        }

        if (Is(name, "t"))
        {
            return rfc9989 ? KnownTag.T : KnownTag.Ignored;
        }

        if (Is(name, "pct"))
        {
            return rfc9989 ? KnownTag.Ignored : KnownTag.Pct;
        }

        if (Is(name, "rf"))
        {
            return rfc9989 ? KnownTag.Ignored : KnownTag.Rf;
        }

        if (Is(name, "ri"))
        {
            return rfc9989 ? KnownTag.Ignored : KnownTag.Ri;
        }

        return KnownTag.Unknown;
    }

    private static bool IsVersionTag(ReadOnlySpan<char> part)
    {
        var equals = part.IndexOf('=');
        if (equals < 0)
        {
            return false;
        }

        var name = TrimWsp(part[..equals]);
        var value = TrimWsp(part[(equals + 1)..]);
        // The tag name "v" is an ABNF literal (case-insensitive); the value %s"DMARC1" is case-sensitive.
        return name.Equals("v", StringComparison.OrdinalIgnoreCase) && value.SequenceEqual("DMARC1");
    }

    private static DmarcPolicy? ParsePolicy(ReadOnlySpan<char> value) =>
        value.Equals("none", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.None
        : value.Equals("quarantine", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.Quarantine
        : value.Equals("reject", StringComparison.OrdinalIgnoreCase) ? DmarcPolicy.Reject
        : null;

    private static DmarcAlignmentMode ParseAlignment(ReadOnlySpan<char> value, string tag, List<string> warnings)
    {
        if (value.Equals("s", StringComparison.OrdinalIgnoreCase))
        {
            return DmarcAlignmentMode.Strict;
        }

        if (!value.Equals("r", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"{tag}={value.ToString()} is not r or s; default r used");
        }

        return DmarcAlignmentMode.Relaxed;
    }

    /// <summary>dmarc-urilist (RFC 9989 §4.8): URIs separated by *WSP "," *WSP, each optionally with the obsolete "!size".</summary>
    private static string[] ParseUriList(ReadOnlySpan<char> value, out bool anyValid)
    {
        anyValid = false;
        var uris = new List<string>();
        foreach (var range in value.Split(','))
        {
            var item = TrimWsp(value[range]);
            if (item.IsEmpty)
            {
                continue;
            }

            uris.Add(item.ToString());
            var bang = item.IndexOf('!');
            var uri = bang < 0 ? item : item[..bang];
            if (Uri.TryCreate(uri.ToString(), UriKind.Absolute, out var parsed) && parsed.Scheme.Length > 0 && IsObsoleteSizeOrEmpty(bang < 0 ? [] : item[(bang + 1)..]))
            {
                anyValid = true;
            }
        }

        return [.. uris];
    }

    private static bool IsObsoleteSizeOrEmpty(ReadOnlySpan<char> size)
    {
        if (size.IsEmpty)
        {
            return true;
        }

        // obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]
        var digits = char.IsAsciiDigit(size[^1]) ? size : size[..^1];
        if (digits.Length == size.Length - 1 && "kmgtKMGT".IndexOf(size[^1]) < 0)
        {
            return false;
        }

        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>dmarc-fo: "0"/"1"/"d"/"s" separated by ":", with 0 and 1 mutually exclusive (RFC 9989 §4.7 fo).</summary>
    private static bool IsValidFo(ReadOnlySpan<char> value)
    {
        var seen = 0;
        foreach (var range in value.Split(':'))
        {
            var item = TrimWsp(value[range]);
            if (item.Length != 1)
            {
                return false;
            }

            var bit = char.ToLowerInvariant(item[0]) switch
            {
                '0' => 1,
                '1' => 2,
                'd' => 4,
                's' => 8,
                _ => 0,
            };
            if (bit == 0 || (seen & bit) != 0)
            {
                return false;
            }

            seen |= bit;
        }

        return (seen & 3) != 3;
    }

    private static bool IsTagName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>dmarc-value = %x20-3A / %x3C-7E (printable ASCII except ";").</summary>
    private static bool IsDmarcValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> TrimWsp(ReadOnlySpan<char> span) => span.Trim(" \t");

    private enum KnownTag
    {
        Unknown,
        Ignored,
        P,
        Sp,
        Np,
        Adkim,
        Aspf,
        Psd,
        T,
        Rua,
        Ruf,
        Fo,
        Pct,
        Rf,
        Ri,
    }

    private struct TagState
    {
        public TagState()
        {
        }

        public int Seen;
        public DmarcPolicy? P;
        public bool PSeen;
        public DmarcPolicy? Sp;
        public bool SpInvalid;
        public DmarcPolicy? Np;
        public bool NpInvalid;
        public DmarcAlignmentMode Adkim = DmarcAlignmentMode.Relaxed;
        public DmarcAlignmentMode Aspf = DmarcAlignmentMode.Relaxed;
        public DmarcPsd Psd = DmarcPsd.Unspecified;
        public bool TestMode;
        public int Percent = 100;
        public string[]? Rua;
        public bool HasValidRua;
        public string[]? Ruf;
        public string? Fo;
    }
}
