using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// <c>overrides</c>: a list of mappings, each with exactly one of <c>from-domain</c> or
/// <c>mail-from-domain</c>, an <c>action</c> and an optional <c>note</c>. Two overrides with the
/// same identity and pattern are an error, because which one wins would be a guess.
/// </summary>
internal static class OverridesBinder
{
    private static readonly string[] ItemKeys = ["from-domain", "mail-from-domain", "action", "note"];

    public static DomainOverrideList Bind(ConfigNode node, BindingContext context)
    {
        if (node is not ConfigSequence sequence)
        {
            context.Error(node, $"overrides: expected a list of overrides (- from-domain: example.com / action: accept), got {node.Describe()}");
            return DomainOverrideList.Empty;
        }

        var items = new List<DomainOverride>();
        var seen = new Dictionary<(OverrideIdentity, string), ConfigNode>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"overrides[{i}]";
            var item = BindItem(sequence.Items[i], path, context, out var domainNode);
            if (item is null)
            {
                continue;
            }

            var key = (item.Identity, item.Pattern.ToString());
            if (seen.TryGetValue(key, out var first))
            {
                var name = item.Identity == OverrideIdentity.FromDomain ? "from-domain" : "mail-from-domain";
                context.Error(domainNode!, $"{path}: duplicate override for {name} '{item.Pattern}' (first at line {first.Line})");
                continue;
            }

            seen.Add(key, domainNode!);
            items.Add(item);
        }

        return new DomainOverrideList(items);
    }

    private static DomainOverride? BindItem(ConfigNode node, string path, BindingContext context, out ConfigNode? domainNode)
    {
        domainNode = null;
        var section = context.Section(node, path, ItemKeys);
        if (section is null)
        {
            return null;
        }

        var fromNode = section.Get("from-domain");
        var mailFromNode = section.Get("mail-from-domain");
        var actionNode = section.Get("action");
        if (fromNode is not null && mailFromNode is not null)
        {
            context.Error(mailFromNode, $"{path}: give either from-domain or mail-from-domain, not both (write two overrides)");
            return null;
        }

        domainNode = fromNode ?? mailFromNode;
        var identity = fromNode is not null ? OverrideIdentity.FromDomain : OverrideIdentity.MailFromDomain;
        var domainKey = fromNode is not null ? "from-domain" : "mail-from-domain";
        DomainPattern? pattern = null;
        if (domainNode is null)
        {
            context.Error(node, $"{path}: missing from-domain or mail-from-domain (the domain this override applies to)");
        }
        else if (context.ReadString(domainNode, $"{path}.{domainKey}", "a domain or '*.domain'") is { } text)
        {
            var error = DomainPatternText.TryParse(text, out var parsed);
            if (error is null)
            {
                pattern = parsed;
            }
            else
            {
                context.Error(domainNode, $"{path}.{domainKey}: {error}");
            }
        }

        OverrideAction? action = null;
        if (actionNode is null)
        {
            context.Error(node, $"{path}: missing action (accept, reject, lower or raise)");
        }
        else
        {
            action = context.ReadEnum(
                actionNode, path + ".action",
                ("accept", OverrideAction.Accept), ("reject", OverrideAction.Reject), ("lower", OverrideAction.Lower), ("raise", OverrideAction.Raise));
        }

        var note = section.Get("note") is { } noteNode ? context.ReadString(noteNode, path + ".note", "a short text") : null;
        return pattern is null || action is null ? null : new DomainOverride(identity, pattern, action.Value, note);
    }
}
