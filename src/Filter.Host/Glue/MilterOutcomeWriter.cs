using System.Buffers;
using Filter.Engine.Pipeline;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Host.Glue;

/// <summary>
/// Turns a message's <see cref="AuthenticationOutcome"/> into the milter answer (issue 7 item 4):
/// CHGHEADER with an empty value deletes each forged Authentication-Results by its occurrence among
/// headers of that name as received (reference §8.3; <see cref="MilterMessageEdits"/> sends the
/// highest first), INSHEADER at index 0 puts ours at the very top, above the MTA's own Received
/// header (RFC 8601 §5: readers trust only results above their own trace), QUARANTINE carries the
/// reason, and the decision is CONTINUE, or REPLYCODE for reject and tempfail. The session writes
/// it all in one flush.
/// </summary>
internal static class MilterOutcomeWriter
{
    /// <summary>The answer for a judged message.</summary>
    /// <param name="outcome">The pipeline's outcome.</param>
    /// <param name="leadingSpace">Whether SMFIP_HDR_LEADSPC was negotiated: then we write the space after the colon ourselves.</param>
    public static MilterMessageOutcome ToMilter(AuthenticationOutcome outcome, bool leadingSpace)
    {
        if (outcome.Deletions.Count == 0 && outcome.Verdict.Kind != VerdictKind.Quarantine)
        {
            // The usual message: our header inserts only, which MilterMessageEdits would keep in
            // the order given anyway; one array instead of the collector and its lists.
            var inserts = new MilterResponse[outcome.Insertions.Count];
            for (int i = 0; i < inserts.Length; i++)
            {
                HeaderInsertion insertion = outcome.Insertions[i];
                inserts[i] = new InsertHeaderResponse((uint)insertion.Index, insertion.Name, HeaderValue(insertion.Value, leadingSpace));
            }

            return new MilterMessageOutcome(Decision(outcome.Verdict), inserts);
        }

        var edits = new MilterMessageEdits();
        foreach (HeaderDeletion deletion in outcome.Deletions)
        {
            edits.DeleteHeader(deletion.Name, deletion.Occurrence);
        }

        foreach (HeaderInsertion insertion in outcome.Insertions)
        {
            edits.InsertHeader((uint)insertion.Index, insertion.Name, HeaderValue(insertion.Value, leadingSpace));
        }

        if (outcome.Verdict.Kind == VerdictKind.Quarantine)
        {
            edits.Quarantine(outcome.Verdict.Reason);
        }

        return edits.ToOutcome(Decision(outcome.Verdict));
    }

    /// <summary>The answer when the glue itself failed: the decision only, no edits.</summary>
    public static MilterMessageOutcome ToMilter(AuthenticationVerdict verdict) => new MilterMessageEdits().ToOutcome(Decision(verdict));

    /// <summary>The final decision for a verdict.</summary>
    public static MilterDecision Decision(AuthenticationVerdict verdict) => verdict.Kind switch
    {
        VerdictKind.Reject => verdict.Reply is { } reject ? MilterDecision.Reject(ToSmtpReply(reject)) : MilterDecision.RejectDefault,
        VerdictKind.Tempfail => verdict.Reply is { } tempfail ? MilterDecision.TempFail(ToSmtpReply(tempfail)) : MilterDecision.TempFailDefault,
        _ => MilterDecision.Continue,
    };

    // The template already doubled '%' for Sendmail's printf (SmtpReplyTemplate.Format); SmtpReply
    // doubles it again, so undo it first rather than send "%%%%".
    private static SmtpReply ToSmtpReply(VerdictReply reply) =>
        SmtpReply.Create(reply.Code, reply.EnhancedStatus, reply.Text.Replace("%%", "%", StringComparison.Ordinal));

    // The formatter folds with CRLF + WSP; milter values use bare LF (reference §8.2: the MTA adds
    // the CR itself, and Postfix would otherwise store a stray CR).
    internal static string HeaderValue(string value, bool leadingSpace)
    {
        // One pass and one string: trim, CRLF -> LF, and the leading space when we write it.
        ReadOnlySpan<char> text = value.AsSpan().TrimStart(" \t");
        int folds = text.Count("\r\n");
        if (folds == 0 && !leadingSpace)
        {
            return text.Length == value.Length ? value : text.ToString();
        }

        int length = text.Length - folds + (leadingSpace ? 1 : 0);
        char[]? rented = null;
        Span<char> buffer = length <= 1024 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        int written = 0;
        if (leadingSpace)
        {
            buffer[written++] = ' ';
        }

        while (true)
        {
            int fold = text.IndexOf("\r\n");
            if (fold < 0)
            {
                text.CopyTo(buffer[written..]);
                written += text.Length;
                break;
            }

            text[..fold].CopyTo(buffer[written..]);
            written += fold;
            buffer[written++] = '\n';
            text = text[(fold + 2)..];
        }

        string result = new(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }
}
