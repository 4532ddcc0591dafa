using Filter.Engine.Dmarc;
using Filter.Engine.Message;
using Filter.Engine.Policy;
using Filter.Engine.Spf;

namespace Filter.Engine.Pipeline;

/// <summary>
/// Turns results into a verdict under a <see cref="FilterPolicy"/> (RFC 9989 §5.4: the receiver's local
/// policy makes the final call). The order is fixed so a reader of filter.yaml can predict it:
/// <list type="number">
/// <item>trusted networks and authenticated submitters: accept, results recorded (DESIGN.md step 2);</item>
/// <item>a per-domain force-accept or force-reject override;</item>
/// <item>several Author Domains under <c>multiple-from: reject</c>: reject (RFC 9989 §11.5);</item>
/// <item>a DMARC temperror: the temperror action (tempfail or accept);</item>
/// <item>an SPF fail when the policy rejects on SPF alone (RFC 7208 §8.4);</item>
/// <item>the DMARC disposition, moved by a lower/raise override, through the configured action.</item>
/// </list>
/// </summary>
public static class VerdictRules
{
    /// <summary>The verdict for one message's results under <paramref name="policy"/>.</summary>
    public static AuthenticationVerdict Decide(FilterPolicy policy, VerdictInputs inputs)
    {
        var client = inputs.Client;
        if (client.IsAuthenticated && policy.Trust.BypassAuthenticated)
        {
            return AuthenticationVerdict.Accept($"authenticated submitter {client.AuthenticatedUser}: recorded, not judged");
        }

        if (policy.Trust.IsTrustedNetwork(client.Address))
        {
            return AuthenticationVerdict.Accept($"trusted network {client.Address}: recorded, not judged");
        }

        var dmarc = inputs.Dmarc;
        var fromDomain = dmarc.AuthorDomain ?? inputs.Author.Domain;
        var domainForReply = fromDomain ?? inputs.MailFromDomain ?? "unknown";
        var overrideRule = policy.Overrides.Find(fromDomain, inputs.MailFromDomain);
        switch (overrideRule?.Action)
        {
            case OverrideAction.Accept:
                return AuthenticationVerdict.Accept($"override {Describe(overrideRule)}: accept");
            case OverrideAction.Reject:
                return Reject(policy.Replies.DmarcReject, overrideRule.Pattern.ToString(), $"override {Describe(overrideRule)}: reject", "local policy");
        }

        if (inputs.Author.Status == AuthorDomainStatus.Multiple && policy.Dmarc.MultipleFrom == MultipleFromHandling.Reject)
        {
            return Reject(policy.Replies.DmarcReject, domainForReply, "several Author Domains: " + inputs.Author.Reason, inputs.Author.Reason);
        }

        if (dmarc.Code == DmarcResultCode.TempError)
        {
            return policy.Actions.Temperror == TemporaryFailureAction.Tempfail
                ? Tempfail(policy.Replies.Tempfail, domainForReply, "DMARC temperror: " + dmarc.Reason, dmarc.Reason)
                : AuthenticationVerdict.Accept("DMARC temperror, accepted by policy: " + dmarc.Reason);
        }

        if (inputs.Spf is { Code: SpfResultCode.Fail } spf && policy.Spf.OnFail == SpfFailAction.Reject)
        {
            return Reject(policy.Replies.SpfReject, spf.Domain, "SPF fail: " + spf.Reason, spf.Reason);
        }

        var disposition = dmarc.Code is DmarcResultCode.Fail or DmarcResultCode.PermError ? dmarc.Disposition : DmarcDisposition.None;
        var moved = "";
        if (dmarc.Code is DmarcResultCode.Fail or DmarcResultCode.PermError && overrideRule?.Action is OverrideAction.Lower or OverrideAction.Raise)
        {
            var before = disposition;
            disposition = overrideRule.Action == OverrideAction.Lower ? Lower(disposition) : Raise(disposition);
            moved = $" (override {Describe(overrideRule)}: {Word(before)} -> {Word(disposition)})";
        }

        var subject = $"DMARC {Word(dmarc.Code)} for {fromDomain ?? "(no author domain)"}{moved}";
        switch (disposition)
        {
            case DmarcDisposition.Reject:
                return policy.Actions.DmarcReject switch
                {
                    DmarcRejectAction.Reject => Reject(policy.Replies.DmarcReject, domainForReply, subject + ": reject", dmarc.Reason),
                    DmarcRejectAction.Quarantine => new AuthenticationVerdict(VerdictKind.Quarantine, null, subject + ": reject policy, quarantined by local policy"),
                    _ => AuthenticationVerdict.Accept(subject + ": reject policy, accepted and tagged by local policy") with { Tag = Tag(disposition, dmarc.Code, fromDomain) },
                };
            case DmarcDisposition.Quarantine:
                return policy.Actions.DmarcQuarantine switch
                {
                    DmarcQuarantineAction.Quarantine => new AuthenticationVerdict(VerdictKind.Quarantine, null, subject + ": quarantine"),
                    DmarcQuarantineAction.Tag => AuthenticationVerdict.Accept(subject + ": quarantine policy, tagged") with { Tag = Tag(disposition, dmarc.Code, fromDomain) },
                    _ => AuthenticationVerdict.Accept(subject + ": quarantine policy, accepted by local policy"),
                };
            default:
                return AuthenticationVerdict.Accept(subject);
        }
    }

    // Built only for the verdicts that tag, not for every message.
    private static string Tag(DmarcDisposition disposition, DmarcResultCode code, string? fromDomain) =>
        $"{Word(disposition)}; dmarc={Word(code)} header.from={fromDomain ?? "unknown"}";

    /// <summary>The engine-error action: a bug must neither lose mail nor let it through unjudged silently.</summary>
    public static AuthenticationVerdict EngineError(FilterPolicy policy, string? domain) =>
        policy.Actions.EngineError == TemporaryFailureAction.Tempfail
            ? Tempfail(policy.Replies.Tempfail, domain ?? "message", "engine error", "internal error")
            : AuthenticationVerdict.Accept("engine error, accepted by policy");

    private static AuthenticationVerdict Reject(SmtpReplyTemplate template, string domain, string why, string reason) =>
        new(VerdictKind.Reject, Reply(template, domain, reason), why);

    private static AuthenticationVerdict Tempfail(SmtpReplyTemplate template, string domain, string why, string reason) =>
        new(VerdictKind.Tempfail, Reply(template, domain, reason), why);

    private static VerdictReply Reply(SmtpReplyTemplate template, string domain, string reason) =>
        new(template.Code, template.EnhancedStatus, template.Format(domain, reason));

    private static DmarcDisposition Lower(DmarcDisposition d) => d switch
    {
        DmarcDisposition.Reject => DmarcDisposition.Quarantine,
        _ => DmarcDisposition.None,
    };

    private static DmarcDisposition Raise(DmarcDisposition d) => d switch
    {
        DmarcDisposition.None => DmarcDisposition.Quarantine,
        _ => DmarcDisposition.Reject,
    };

    private static string Describe(DomainOverride rule) =>
        (rule.Identity == OverrideIdentity.FromDomain ? "from " : "mail-from ") + rule.Pattern;

    /// <summary>The disposition as the header and logs write it: none, quarantine, reject.</summary>
    public static string Word(DmarcDisposition d) => d switch
    {
        DmarcDisposition.None => "none",
        DmarcDisposition.Quarantine => "quarantine",
        DmarcDisposition.Reject => "reject",
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "unknown disposition"),
    };

    /// <summary>The DMARC result as RFC 8601 writes it: none, pass, fail, temperror, permerror.</summary>
    public static string Word(DmarcResultCode code) => code switch
    {
        DmarcResultCode.None => "none",
        DmarcResultCode.Pass => "pass",
        DmarcResultCode.Fail => "fail",
        DmarcResultCode.TempError => "temperror",
        DmarcResultCode.PermError => "permerror",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown DMARC result"),
    };
}
