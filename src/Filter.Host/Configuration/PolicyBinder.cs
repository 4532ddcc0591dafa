using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Binds the root of a policy file to <see cref="FilterPolicy"/>. Each section has its own binder;
/// a section that is absent keeps the model's defaults. Every problem is reported to the
/// <see cref="BindingContext"/>; binding goes on after an error so one run reports them all.
/// </summary>
internal static class PolicyBinder
{
    private static readonly string[] TopLevelKeys =
    [
        "authserv-id", "listen", "dns", "dmarc", "trusted", "actions", "replies", "spf", "dkim",
        "overrides", "limits", "metrics", "recording",
    ];

    public static FilterPolicy Bind(ConfigNode? root, BindingContext context, string defaultAuthservId)
    {
        var policy = FilterPolicy.Default with { AuthservId = defaultAuthservId };
        if (root is null)
        {
            return policy;
        }

        if (root is not ConfigMapping)
        {
            context.Error(root, "expected a mapping of settings (authserv-id, listen, dns...) at the top of the file, got " + root.Describe());
            return policy;
        }

        var section = context.Section(root, "", TopLevelKeys)!;
        if (section.Get("authserv-id") is { } authservNode)
        {
            var text = context.ReadString(authservNode, "authserv-id", "a host name such as mx.example.com");
            var error = text is null ? null : TokenText.CheckAuthservId(text);
            if (error is not null)
            {
                context.Error(authservNode, "authserv-id: " + error);
            }
            else if (text is not null)
            {
                policy = policy with { AuthservId = text };
            }
        }

        var listen = section.Get("listen") is { } listenNode ? ListenBinder.Bind(listenNode, context) : policy.Listen;
        return policy with
        {
            Listen = listen,
            Dns = section.Get("dns") is { } dns ? DnsBinder.Bind(dns, context) : policy.Dns,
            Dmarc = section.Get("dmarc") is { } dmarc ? DmarcBinder.Bind(dmarc, context) : policy.Dmarc,
            Trust = section.Get("trusted") is { } trusted ? TrustBinder.Bind(trusted, context) : policy.Trust,
            Actions = section.Get("actions") is { } actions ? ActionsBinder.Bind(actions, context) : policy.Actions,
            Replies = section.Get("replies") is { } replies ? RepliesBinder.Bind(replies, context) : policy.Replies,
            Spf = section.Get("spf") is { } spf ? SpfBinder.Bind(spf, context) : policy.Spf,
            Dkim = section.Get("dkim") is { } dkim ? DkimBinder.Bind(dkim, context) : policy.Dkim,
            Overrides = section.Get("overrides") is { } overrides ? OverridesBinder.Bind(overrides, context) : policy.Overrides,
            Limits = section.Get("limits") is { } limits ? LimitsBinder.Bind(limits, context) : policy.Limits,
            Metrics = section.Get("metrics") is { } metrics ? MetricsBinder.Bind(metrics, listen, context) : policy.Metrics,
            Recording = section.Get("recording") is { } recording ? RecordingBinder.Bind(recording, context) : policy.Recording,
        };
    }
}
