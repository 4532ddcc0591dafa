using System.Text.Json;
using Filter.Engine.Dmarc;
using Filter.Engine.Pipeline;
using Filter.Engine.Spf;

namespace Filter.Host.Cli;

/// <summary>
/// Writes an <see cref="AuthenticationOutcome"/> as JSON for <c>check --json</c> and <c>replay --json</c>:
/// <c>verdict</c>, <c>reply</c>, <c>reason</c>, <c>spf</c>, <c>dkim</c> (one entry per signature),
/// <c>dmarc</c>, <c>authenticationResults</c> and the header edits. Names are stable; add, never rename.
/// </summary>
internal static class OutcomeJson
{
    public static void Write(Utf8JsonWriter writer, AuthenticationOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteString("verdict", outcome.Verdict.Word);
        if (outcome.Verdict.Reply is { } reply)
        {
            writer.WriteStartObject("reply");
            writer.WriteNumber("code", reply.Code);
            writer.WriteString("enhancedStatus", reply.EnhancedStatus);
            writer.WriteString("text", reply.Text);
            writer.WriteString("line", reply.Line);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("reply");
        }

        writer.WriteString("reason", outcome.Verdict.Reason);
        writer.WriteBoolean("engineError", outcome.IsEngineError);
        WriteSpf(writer, "spf", outcome.Spf);
        if (outcome.SpfHelo is not null)
        {
            WriteSpf(writer, "spfHelo", outcome.SpfHelo);
        }

        writer.WriteStartArray("dkim");
        foreach (var signature in outcome.Dkim)
        {
            writer.WriteStartObject();
            writer.WriteString("result", OutcomeSummary.DkimWord(signature.Code));
            writer.WriteString("reason", signature.Reason);
            writer.WriteString("domain", signature.Domain);
            writer.WriteString("selector", signature.Selector);
            writer.WriteString("algorithm", signature.Algorithm);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteDmarc(writer, outcome.Dmarc);
        writer.WriteString("authenticationResults", outcome.AuthenticationResults);
        writer.WriteStartArray("deleteHeaders");
        foreach (var deletion in outcome.Deletions)
        {
            writer.WriteStartObject();
            writer.WriteString("name", deletion.Name);
            writer.WriteNumber("occurrence", deletion.Occurrence);
            writer.WriteString("reason", deletion.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("insertHeaders");
        foreach (var insertion in outcome.Insertions)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", insertion.Index);
            writer.WriteString("name", insertion.Name);
            writer.WriteString("value", insertion.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSpf(Utf8JsonWriter writer, string name, SpfResult? spf)
    {
        if (spf is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("result", spf.ResultWord);
        writer.WriteString("reason", spf.Reason);
        writer.WriteString("identity", spf.Identity == SpfIdentity.Helo ? "helo" : "mailfrom");
        writer.WriteString("domain", spf.Domain);
        writer.WriteString("sender", spf.Sender);
        writer.WriteEndObject();
    }

    private static void WriteDmarc(Utf8JsonWriter writer, DmarcResult? dmarc)
    {
        if (dmarc is null)
        {
            writer.WriteNull("dmarc");
            return;
        }

        writer.WriteStartObject("dmarc");
        writer.WriteString("result", VerdictRules.Word(dmarc.Code));
        writer.WriteString("reason", dmarc.Reason);
        writer.WriteString("domain", dmarc.AuthorDomain);
        writer.WriteString("policy", dmarc.Policy is { } p ? PolicyWord(p) : null);
        writer.WriteString("effectivePolicy", dmarc.EffectivePolicy is { } e ? PolicyWord(e) : null);
        writer.WriteString("disposition", VerdictRules.Word(dmarc.Disposition));
        writer.WriteBoolean("spfAligned", dmarc.SpfAligned);
        writer.WriteBoolean("dkimAligned", dmarc.DkimAligned);
        writer.WriteEndObject();
    }

    internal static string PolicyWord(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.None => "none",
        DmarcPolicy.Quarantine => "quarantine",
        DmarcPolicy.Reject => "reject",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown DMARC policy"),
    };
}
