using Filter.Engine.Dmarc;
using MimeKit;

namespace Filter.Engine.Message;

/// <summary>
/// Takes the Author Domain from the raw values of a message's From fields (RFC 9989 §3.2.2, §5.3.1),
/// with MimeKit's address parser in strict RFC 5322 mode. The rules close the known parsing tricks:
/// <list type="bullet">
/// <item>several From fields, or several domains in one field, are <see cref="AuthorDomainStatus.Multiple"/>
/// (CVE-2019-16378: "a@good.example, b@evil.example" must not be read as good.example alone);</item>
/// <item>an empty or unparseable value, group syntax, an address without a domain, a domain literal or a
/// non-host name is <see cref="AuthorDomainStatus.Malformed"/> (CVE-2021-34555 shapes), never silently skipped;</item>
/// <item>the domain is the addr-spec's: a quoted local part (<c>"x@brand.example"@evil.example</c>), a
/// comment <c>(brand.example)</c> or an encoded-word display name cannot supply it;</item>
/// <item>U-labels become A-labels, so both spellings compare equal (RFC 9989 §5.3.1).</item>
/// </list>
/// </summary>
/// <remarks>
/// Several mailboxes in one field that share one domain give <see cref="AuthorDomainStatus.Single"/>:
/// RFC 9989 §5.3.1 counts domains, and evaluating that one domain cannot be tricked.
/// </remarks>
internal static class AuthorDomainExtractor
{
    private static readonly ParserOptions StrictOptions = CreateOptions();

    /// <summary>Extracts from the values (after "From:") of every From field, as received (folded or not).</summary>
    public static AuthorDomainResult Extract(IReadOnlyList<string> fromFieldValues)
    {
        ArgumentNullException.ThrowIfNull(fromFieldValues);
        if (fromFieldValues.Count == 0)
        {
            return new AuthorDomainResult(AuthorDomainStatus.Missing, [], 0, 0, "no From field");
        }

        var domains = new List<string>(1);
        var mailboxes = 0;
        foreach (var value in fromFieldValues)
        {
            if (!TryCollect(value, domains, ref mailboxes, out var problem))
            {
                return new AuthorDomainResult(AuthorDomainStatus.Malformed, [], fromFieldValues.Count, mailboxes, problem);
            }
        }

        if (fromFieldValues.Count > 1)
        {
            return new AuthorDomainResult(AuthorDomainStatus.Multiple, domains, fromFieldValues.Count, mailboxes,
                $"{fromFieldValues.Count} From fields (RFC 5322 3.6 allows one)");
        }

        return domains.Count == 1
            ? new AuthorDomainResult(AuthorDomainStatus.Single, domains, 1, mailboxes, mailboxes == 1 ? "one mailbox" : $"{mailboxes} mailboxes, one domain")
            : new AuthorDomainResult(AuthorDomainStatus.Multiple, domains, 1, mailboxes, $"{domains.Count} domains in From");
    }

    /// <summary>Convenience for a single From field value.</summary>
    public static AuthorDomainResult Extract(string fromFieldValue) => Extract([fromFieldValue]);

    private static bool TryCollect(string? value, List<string> domains, ref int mailboxes, out string problem)
    {
        if (value is null || !TryUnfold(value, out var unfolded))
        {
            problem = "From has a bare CR or LF (broken folding)";
            return false;
        }

        if (unfolded.AsSpan().Trim(" \t").IsEmpty)
        {
            problem = "From is empty";
            return false;
        }

        if (!InternetAddressList.TryParse(StrictOptions, unfolded, out var list) || list.Count == 0)
        {
            problem = "From is not a valid mailbox-list";
            return false;
        }

        foreach (var address in list)
        {
            if (address is not MailboxAddress mailbox)
            {
                // RFC 5322 §3.6.2: From is a mailbox-list; a group hides or invents authors.
                problem = "group syntax in From";
                return false;
            }

            mailboxes++;
            if (!DmarcDomainName.TryNormalize(mailbox.Domain, out var domain, out var error))
            {
                problem = $"From mailbox without a usable domain: {error}";
                return false;
            }

            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>RFC 5322 §2.2.3 unfolding: CRLF (or LF) followed by WSP is removed; any other CR or LF is an error.</summary>
    private static bool TryUnfold(string value, out string unfolded)
    {
        if (value.IndexOfAny(['\r', '\n']) < 0)
        {
            unfolded = value;
            return true;
        }

        var builder = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n')
            {
                i++;
                c = '\n';
            }

            if (c == '\n')
            {
                if (i + 1 < value.Length && value[i + 1] is ' ' or '\t')
                {
                    continue;
                }

                if (i + 1 == value.Length)
                {
                    continue; // the field's own line end
                }

                unfolded = string.Empty;
                return false;
            }

            if (c == '\r')
            {
                unfolded = string.Empty;
                return false;
            }

            builder.Append(c);
        }

        unfolded = builder.ToString();
        return true;
    }

    private static ParserOptions CreateOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        options.AllowUnquotedCommasInAddresses = false;
        return options;
    }
}
