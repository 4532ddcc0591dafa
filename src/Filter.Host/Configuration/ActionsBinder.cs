using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>actions</c>: what each outcome does, and the tag header.</summary>
internal static class ActionsBinder
{
    public static OutcomeActions Bind(ConfigNode node, BindingContext context)
    {
        var actions = new OutcomeActions();
        var section = context.Section(node, "actions", "dmarc-reject", "dmarc-quarantine", "temperror", "engine-error", "tag-header");
        if (section is null)
        {
            return actions;
        }

        if (section.Get("dmarc-reject") is { } reject
            && context.ReadEnum(
                reject, "actions.dmarc-reject",
                ("reject", DmarcRejectAction.Reject), ("quarantine", DmarcRejectAction.Quarantine), ("accept-and-tag", DmarcRejectAction.AcceptAndTag)) is { } r)
        {
            actions = actions with { DmarcReject = r };
        }

        if (section.Get("dmarc-quarantine") is { } quarantine
            && context.ReadEnum(
                quarantine, "actions.dmarc-quarantine",
                ("quarantine", DmarcQuarantineAction.Quarantine), ("tag", DmarcQuarantineAction.Tag), ("accept", DmarcQuarantineAction.Accept)) is { } q)
        {
            actions = actions with { DmarcQuarantine = q };
        }

        if (section.Get("temperror") is { } temperror && ReadTemporary(temperror, "actions.temperror", context) is { } t)
        {
            actions = actions with { Temperror = t };
        }

        if (section.Get("engine-error") is { } engine && ReadTemporary(engine, "actions.engine-error", context) is { } e)
        {
            actions = actions with { EngineError = e };
        }

        if (section.Get("tag-header") is { } tagNode)
        {
            var name = context.ReadString(tagNode, "actions.tag-header", "a header field name such as X-AuthFilter-Disposition");
            var error = name is null ? null : TokenText.CheckHeaderName(name);
            if (error is not null)
            {
                context.Error(tagNode, "actions.tag-header: " + error);
            }
            else if (name is not null)
            {
                actions = actions with { TagHeader = name };
            }
        }

        return actions;
    }

    private static TemporaryFailureAction? ReadTemporary(ConfigNode node, string path, BindingContext context) =>
        context.ReadEnum(node, path, ("tempfail", TemporaryFailureAction.Tempfail), ("accept", TemporaryFailureAction.Accept));
}
