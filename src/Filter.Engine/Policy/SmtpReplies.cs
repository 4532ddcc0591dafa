namespace Filter.Engine.Policy;

/// <summary>The SMTP replies authfilter gives; each is validated at load (see <see cref="SmtpReplyTemplate"/>).</summary>
public sealed record SmtpReplies
{
    /// <summary>
    /// For a reject caused by DMARC (and by a forced reject override or the multiple-From rule).
    /// Common practice is 550 5.7.1 (RFC 3463 "delivery not authorized, message refused"); RFC 7372
    /// registers 5.7.26 ("multiple authentication checks failed") for DMARC, which an admin may prefer.
    /// </summary>
    public SmtpReplyTemplate DmarcReject { get; init; } =
        new(550, "5.7.1", "Message rejected: DMARC policy of {domain} ({reason})");

    /// <summary>For a reject caused by SPF fail when <see cref="SpfSettings.OnFail"/> is reject; 5.7.23 is RFC 7372's "SPF validation failed".</summary>
    public SmtpReplyTemplate SpfReject { get; init; } =
        new(550, "5.7.23", "SPF check failed for {domain} ({reason})");

    /// <summary>For a tempfail verdict (DNS trouble, an engine error), so the sending MTA retries.</summary>
    public SmtpReplyTemplate Tempfail { get; init; } =
        new(451, "4.7.1", "Temporary failure checking {domain} ({reason}); try again later");
}
