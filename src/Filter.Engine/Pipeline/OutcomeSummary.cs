using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;

namespace Filter.Engine.Pipeline;

/// <summary>
/// The one summary log line per message (DESIGN.md house rules):
/// <c>queue=4XyZ client=192.0.2.1 spf=pass dkim=pass(example.com) dmarc=pass(example.com) verdict=accept ms=3</c>.
/// </summary>
public static class OutcomeSummary
{
    /// <summary>The summary line for one outcome.</summary>
    public static string Format(AuthenticationOutcome outcome)
    {
        // Written into a rented buffer: the line's only allocation is the string the logger gets.
        var line = new PooledCharBuilder(256);
        try
        {
            line.Append("queue=");
            line.Append(outcome.QueueId ?? "-");
            line.Append(" client=");
            line.Append(outcome.Client?.Address.ToString() ?? "-");
            line.Append(" spf=");
            line.Append(outcome.Spf?.ResultWord ?? "-");
            if (outcome.SpfHelo is { } helo)
            {
                line.Append(" spf.helo=");
                line.Append(helo.ResultWord);
            }

            line.Append(" dkim=");
            if (outcome.Dkim.Count == 0)
            {
                line.Append('-');
            }

            for (var i = 0; i < outcome.Dkim.Count; i++)
            {
                var signature = outcome.Dkim[i];
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(DkimWord(signature.Code));
                if (signature.Domain.Length > 0)
                {
                    line.Append('(');
                    line.Append(signature.Domain);
                    line.Append(')');
                }
            }

            line.Append(" dmarc=");
            if (outcome.Dmarc is { } dmarc)
            {
                line.Append(VerdictRules.Word(dmarc.Code));
                if (dmarc.AuthorDomain is not null)
                {
                    line.Append('(');
                    line.Append(dmarc.AuthorDomain);
                    line.Append(')');
                }
            }
            else
            {
                line.Append('-');
            }

            line.Append(" verdict=");
            line.Append(outcome.Verdict.Word);
            if (outcome.IsEngineError)
            {
                line.Append(" engine-error");
            }

            line.Append(" ms=");
            line.Append(outcome.ElapsedMilliseconds);
            return line.ToString();
        }
        finally
        {
            line.Dispose();
        }
    }

    /// <summary>The DKIM result as RFC 8601 writes it.</summary>
    public static string DkimWord(DkimResultCode code) => code switch
    {
        DkimResultCode.None => "none",
        DkimResultCode.Pass => "pass",
        DkimResultCode.Fail => "fail",
        DkimResultCode.Neutral => "neutral",
        DkimResultCode.Policy => "policy",
        DkimResultCode.TempError => "temperror",
        DkimResultCode.PermError => "permerror",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown DKIM result"),
    };
}
