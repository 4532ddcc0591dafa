using Filter.Engine.Dkim;
using Filter.Engine.Spf;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Turns our checks' result values into <see cref="MethodResult"/> entries for the header we write
/// (RFC 8601 §2.7). Untrusted text inside them (DKIM tags, SPF senders) is made safe by
/// <see cref="AuthResultsSyntax.Sanitize"/> here, so the entries always round-trip.
/// </summary>
internal static class MethodResults
{
    // policy.dmarc=<p> and (disposition=<d>) take one of three words: built once, not per message
    // (both are immutable values). Indexed by DmarcPolicyWord.
    private static readonly AuthProperty[] s_policyProperties =
    [
        new(PropertyType.Policy, "dmarc", Word(DmarcPolicyWord.None)),
        new(PropertyType.Policy, "dmarc", Word(DmarcPolicyWord.Quarantine)),
        new(PropertyType.Policy, "dmarc", Word(DmarcPolicyWord.Reject)),
    ];

    private static readonly IReadOnlyList<string>[] s_dispositionComments =
    [
        ["disposition=" + Word(DmarcPolicyWord.None)],
        ["disposition=" + Word(DmarcPolicyWord.Quarantine)],
        ["disposition=" + Word(DmarcPolicyWord.Reject)],
    ];

    /// <summary>
    /// <c>spf=&lt;result&gt; reason="…" smtp.mailfrom=&lt;sender&gt;</c> for the MAIL FROM identity
    /// (the whole address as checked, or the domain when no address is known), or
    /// <c>smtp.helo=&lt;domain&gt;</c> for the HELO identity (RFC 8601 §2.7.2, RFC 7208 §9.1).
    /// The exp= explanation is not copied: it is text from the sender's DNS.
    /// </summary>
    public static MethodResult FromSpf(SpfResult spf)
    {
        var word = spf.Code switch
        {
            SpfResultCode.None => AuthResultWord.None,
            SpfResultCode.Neutral => AuthResultWord.Neutral,
            SpfResultCode.Pass => AuthResultWord.Pass,
            SpfResultCode.Fail => AuthResultWord.Fail,
            SpfResultCode.SoftFail => AuthResultWord.SoftFail,
            SpfResultCode.TempError => AuthResultWord.TempError,
            SpfResultCode.PermError => AuthResultWord.PermError,
            _ => throw new ArgumentOutOfRangeException(nameof(spf), spf.Code, "unknown SPF result"),
        };

        AuthProperty property = spf.Identity == SpfIdentity.Helo
            ? new AuthProperty(PropertyType.Smtp, "helo", Text(spf.Domain))
            : new AuthProperty(PropertyType.Smtp, "mailfrom", Text(spf.Sender.Contains('@') ? spf.Sender : spf.Domain));

        return new MethodResult(AuthMethod.Spf, word)
        {
            Reason = OptionalText(spf.Reason),
            Properties = [property],
        };
    }

    /// <summary>
    /// <c>dkim=&lt;result&gt; reason="…" header.d= header.i= header.s= header.a= header.b=</c> for one
    /// signature (RFC 8601 §2.7.1, RFC 6008 for header.b); tags that could not be read are left out.
    /// </summary>
    public static MethodResult FromDkim(DkimSignatureResult dkim)
    {
        var word = dkim.Code switch
        {
            DkimResultCode.None => AuthResultWord.None,
            DkimResultCode.Pass => AuthResultWord.Pass,
            DkimResultCode.Fail => AuthResultWord.Fail,
            DkimResultCode.Neutral => AuthResultWord.Neutral,
            DkimResultCode.Policy => AuthResultWord.Policy,
            DkimResultCode.TempError => AuthResultWord.TempError,
            DkimResultCode.PermError => AuthResultWord.PermError,
            _ => throw new ArgumentOutOfRangeException(nameof(dkim), dkim.Code, "unknown DKIM result"),
        };

        var properties = new List<AuthProperty>(5);
        AddIfPresent(properties, "d", dkim.Domain);
        AddIfPresent(properties, "i", dkim.Identifier);
        AddIfPresent(properties, "s", dkim.Selector);
        AddIfPresent(properties, "a", dkim.Algorithm);
        AddIfPresent(properties, "b", dkim.SignaturePrefix);

        return new MethodResult(AuthMethod.Dkim, word)
        {
            Reason = OptionalText(dkim.Reason),
            Properties = properties,
        };
    }

    /// <summary>
    /// <c>auth=pass smtp.auth=&lt;login&gt;</c> (RFC 8601 §2.7.4): the MTA accepted an SMTP AUTH login
    /// (RFC 4954) and told us the identity in <c>{auth_authen}</c>. Only a successful login reaches a
    /// milter, so the result is always pass.
    /// </summary>
    public static MethodResult ForSmtpAuth(string authenticatedUser) => new(AuthMethod.Auth, AuthResultWord.Pass)
    {
        Properties = [new AuthProperty(PropertyType.Smtp, "auth", Text(authenticatedUser))],
    };

    /// <summary>
    /// <c>dmarc=&lt;result&gt; (disposition=&lt;d&gt;) reason="…" header.from=&lt;domain&gt; policy.dmarc=&lt;p&gt;</c>
    /// (RFC 9989 §10, RFC 7489 §11.2). The DMARC evaluator's result maps onto these plain values:
    /// its result word (pass, fail, none, temperror, permerror), the RFC5322.From domain, the
    /// policy it says to apply after sp/np/t processing, and what we actually did (disposition).
    /// </summary>
    public static MethodResult ForDmarc(AuthResultWord result, string? headerFrom, DmarcPolicyWord? policy,
        DmarcPolicyWord? disposition, string? reason)
    {
        if (!AuthResultsRegistry.IsRegisteredResult(AuthMethod.Dmarc, result))
        {
            throw new ArgumentException($"'{result}' is not a DMARC result word", nameof(result));
        }

        var properties = new List<AuthProperty>(2);
        AddIfPresent(properties, "from", headerFrom);
        if (policy is { } p)
        {
            properties.Add(s_policyProperties[(int)p]);
        }

        return new MethodResult(AuthMethod.Dmarc, result)
        {
            Reason = OptionalText(reason),
            Properties = properties,
            Comments = disposition is { } d ? s_dispositionComments[(int)d] : [],
        };
    }

    private static string Word(DmarcPolicyWord word) => word switch
    {
        DmarcPolicyWord.None => "none",
        DmarcPolicyWord.Quarantine => "quarantine",
        DmarcPolicyWord.Reject => "reject",
        _ => throw new ArgumentOutOfRangeException(nameof(word), word, "unknown DMARC policy"),
    };

    private static void AddIfPresent(List<AuthProperty> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties.Add(new AuthProperty(PropertyType.Header, name, Text(value)));
        }
    }

    private static string? OptionalText(string? text) => string.IsNullOrEmpty(text) ? null : Text(text);

    private static string Text(string text) => AuthResultsSyntax.Sanitize(text);
}
