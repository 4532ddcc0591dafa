using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>replies</c>: the SMTP reply templates, each validated for its class (reject 5xx, tempfail 4xx).</summary>
internal static class RepliesBinder
{
    public static SmtpReplies Bind(ConfigNode node, BindingContext context)
    {
        var replies = new SmtpReplies();
        var section = context.Section(node, "replies", "dmarc-reject", "spf-reject", "tempfail");
        if (section is null)
        {
            return replies;
        }

        if (Read(section, "dmarc-reject", '5', context) is { } dmarc)
        {
            replies = replies with { DmarcReject = dmarc };
        }

        if (Read(section, "spf-reject", '5', context) is { } spf)
        {
            replies = replies with { SpfReject = spf };
        }

        if (Read(section, "tempfail", '4', context) is { } tempfail)
        {
            replies = replies with { Tempfail = tempfail };
        }

        return replies;
    }

    private static SmtpReplyTemplate? Read(SectionReader section, string key, char expectedClass, BindingContext context)
    {
        if (section.Get(key) is not { } node)
        {
            return null;
        }

        var path = section.KeyPath(key);
        var text = context.ReadString(node, path, "a reply such as \"550 5.7.1 text\"");
        if (text is null)
        {
            return null;
        }

        var error = SmtpReplyText.TryParse(text, expectedClass, out var reply);
        if (error is null)
        {
            return reply;
        }

        context.Error(node, path + ": " + error);
        return null;
    }
}
