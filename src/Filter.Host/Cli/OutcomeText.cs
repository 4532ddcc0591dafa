using System.Text;
using Filter.Engine.Pipeline;

namespace Filter.Host.Cli;

/// <summary>The human-readable form of an <see cref="AuthenticationOutcome"/> that <c>authfilter check</c> prints.</summary>
internal static class OutcomeText
{
    public static string Format(AuthenticationOutcome outcome)
    {
        var text = new StringBuilder(512);
        text.Append("Authentication-Results: ").Append(outcome.AuthenticationResults).Append('\n');
        text.Append('\n');
        if (outcome.Spf is { } spf)
        {
            text.Append("spf:      ").Append(spf.ResultWord).Append(' ').Append(spf.PropertyName).Append('=').Append(spf.PropertyValue)
                .Append(" (").Append(spf.Reason).Append(")\n");
        }

        if (outcome.SpfHelo is { } helo)
        {
            text.Append("spf.helo: ").Append(helo.ResultWord).Append(" smtp.helo=").Append(helo.Domain).Append(" (").Append(helo.Reason).Append(")\n");
        }

        foreach (var signature in outcome.Dkim)
        {
            text.Append("dkim:     ").Append(OutcomeSummary.DkimWord(signature.Code));
            if (signature.Domain.Length > 0)
            {
                text.Append(" d=").Append(signature.Domain).Append(" s=").Append(signature.Selector).Append(" a=").Append(signature.Algorithm);
            }

            text.Append(" (").Append(signature.Reason).Append(")\n");
        }

        if (outcome.Dmarc is { } dmarc)
        {
            text.Append("dmarc:    ").Append(VerdictRules.Word(dmarc.Code));
            if (dmarc.AuthorDomain is not null)
            {
                text.Append(" header.from=").Append(dmarc.AuthorDomain);
            }

            if (dmarc.Policy is { } policy)
            {
                text.Append(" p=").Append(OutcomeJson.PolicyWord(policy));
            }

            text.Append(" (").Append(dmarc.Reason).Append(")\n");
        }

        foreach (var deletion in outcome.Deletions)
        {
            text.Append("remove:   ").Append(deletion.Name).Append(" #").Append(deletion.Occurrence).Append(" (").Append(deletion.Reason).Append(")\n");
        }

        text.Append('\n');
        text.Append("verdict:  ").Append(outcome.Verdict.Word).Append(" (").Append(outcome.Verdict.Reason).Append(")\n");
        if (outcome.Verdict.Reply is { } reply)
        {
            text.Append("reply:    ").Append(reply.Line).Append('\n');
        }

        return text.ToString();
    }
}
