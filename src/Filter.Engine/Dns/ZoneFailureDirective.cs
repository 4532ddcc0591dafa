namespace Filter.Engine.Dns;

/// <summary>
/// An injected failure read from a comment, <c>; authfilter: timeout|servfail NAME [TYPE [detail: TEXT]]</c>
/// (syntax in <see cref="ZoneFileReader"/>). The name is read like an owner name, relative to the
/// origin in force where the comment stands; the text after <c>detail:</c>, to the end of the line, is
/// the failure's text (a recording keeps the live resolver's words, so reasons replay exactly). The
/// marker keeps a stray word an error, so a typo never silently changes a test.
/// </summary>
internal sealed record ZoneFailureDirective(string Name, DnsResponseStatus Status, DnsRecordType? Type, string? Detail = null)
{
    private const string Usage = "'authfilter: timeout|servfail <name> [A|AAAA|MX|TXT|PTR [detail: <text>]]'";

    /// <summary>Reads the text after <c>authfilter:</c>; returns null, or where and what is wrong.</summary>
    public static (ZoneToken At, string Message)? TryRead(ZoneToken directive, string? origin, out ZoneFailureDirective failure)
    {
        failure = new ZoneFailureDirective("", DnsResponseStatus.Timeout, null);
        var words = ZoneDirectiveWords.Split(directive);
        if (words.Count == 0)
        {
            return (directive, $"expected timeout or servfail: a directive is {Usage}");
        }

        var verb = words[0];
        DnsResponseStatus status;
        if (verb.IsPlain("timeout"))
        {
            status = DnsResponseStatus.Timeout;
        }
        else if (verb.IsPlain("servfail"))
        {
            status = DnsResponseStatus.ServerFailure;
        }
        else
        {
            return (verb, $"unknown directive '{verb.Text}': expected timeout or servfail ({Usage})");
        }

        if (words.Count < 2)
        {
            return (verb, $"expected a name after '{verb.Text}': a directive is {Usage}");
        }

        if (ZoneNameParser.TryParse(words[1].Octets, origin, out var name) is { } nameError)
        {
            return (words[1], nameError);
        }

        DnsRecordType? type = null;
        if (words.Count >= 3)
        {
            if (!ZoneRecordDataReader.TryQueryType(words[2].Text, out var queryType))
            {
                return (words[2], $"'{words[2].Text}' is not a type the engine queries: expected A, AAAA, MX, TXT or PTR, or nothing for every type");
            }

            type = queryType;
        }

        // "detail:" and everything after it, as written, is the failure's text.
        string? detail = null;
        if (words.Count > 3 && !words[3].IsPlain("detail:"))
        {
            return (words[3], $"unexpected '{words[3].Text}': a directive is {Usage}");
        }

        if (words.Count > 4)
        {
            var from = words[4].RawStart - directive.RawStart;
            detail = System.Text.Encoding.UTF8.GetString(directive.Octets[from..]).TrimEnd(' ', '\t', '\r');
        }

        failure = new ZoneFailureDirective(name, status, type, detail);
        return null;
    }
}
