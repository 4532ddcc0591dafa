using Filter.Engine.AuthResults;
using Filter.Milter.Session;

namespace Filter.Host.Glue;

/// <summary>
/// Turns a message's outcome into the milter answer (issue 7 item 4): CHGHEADER with an empty
/// value deletes each forged Authentication-Results by its occurrence among headers of that name
/// (reference §8.3; <see cref="MilterMessageEdits"/> orders them highest first), INSHEADER at index
/// 0 puts ours at the very top, above the MTA's own Received header (RFC 8601 §5: receivers trust
/// only headers above their own trace), QUARANTINE carries the reason, and the decision is
/// CONTINUE, or REPLYCODE for reject and tempfail. The session writes it all in one flush.
/// </summary>
internal static class MilterOutcomeWriter
{
    /// <summary>The answer for a judged message.</summary>
    /// <param name="outcome">The check's outcome.</param>
    /// <param name="leadingSpace">Whether SMFIP_HDR_LEADSPC was negotiated: then we write the space after the colon ourselves.</param>
    public static MilterMessageOutcome ToMilter(MessageCheckOutcome outcome, bool leadingSpace)
    {
        var edits = new MilterMessageEdits();
        foreach (HeaderOccurrence deletion in outcome.Deletions)
        {
            edits.DeleteHeader(deletion.Name, deletion.Occurrence);
        }

        edits.InsertHeader(0, AuthenticationResultsFormatter.FieldName, HeaderValue(outcome.AuthenticationResultsValue, leadingSpace));
        if (outcome.Tag is { } tag)
        {
            edits.InsertHeader(0, tag.Name, HeaderValue(tag.Value, leadingSpace));
        }

        if (outcome.Verdict.Kind == MessageVerdictKind.Quarantine)
        {
            edits.Quarantine(outcome.Verdict.Reason);
        }

        return edits.ToOutcome(Decision(outcome.Verdict));
    }

    /// <summary>The answer for a message that could not be judged (engine error): the decision only.</summary>
    public static MilterMessageOutcome ToMilter(MessageVerdict verdict) => new MilterMessageEdits().ToOutcome(Decision(verdict));

    /// <summary>The final decision; reply lines were built from validated templates (code, enhanced status, text).</summary>
    public static MilterDecision Decision(MessageVerdict verdict)
    {
        switch (verdict.Kind)
        {
            case MessageVerdictKind.Reject:
                return verdict.ReplyLine is null ? MilterDecision.RejectDefault : MilterDecision.Reject(ParseReply(verdict.ReplyLine));
            case MessageVerdictKind.TempFail:
                return verdict.ReplyLine is null ? MilterDecision.TempFailDefault : MilterDecision.TempFail(ParseReply(verdict.ReplyLine));
            default:
                return MilterDecision.Continue;
        }
    }

    // "550 5.7.1 text" as SmtpReplyTemplate.Format writes it; SmtpReply doubles '%' itself, so the
    // template's doubling is undone first to avoid "%%%%".
    private static SmtpReply ParseReply(string line)
    {
        int code = int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
        int space = line.IndexOf(' ', 4);
        string enhanced = space < 0 ? line[4..] : line[4..space];
        string text = space < 0 ? string.Empty : line[(space + 1)..];
        return SmtpReply.Create(code, enhanced, text.Replace("%%", "%", StringComparison.Ordinal));
    }

    // The formatter folds with CRLF + WSP; milter values use bare LF (reference §8.2: the MTA adds
    // the CR itself, Postfix would otherwise write a stray CR).
    private static string HeaderValue(string value, bool leadingSpace)
    {
        string folded = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (folded.Length > 0 && (folded[0] == ' ' || folded[0] == '\t'))
        {
            folded = folded.TrimStart(' ', '\t');
        }

        return leadingSpace ? " " + folded : folded;
    }
}
