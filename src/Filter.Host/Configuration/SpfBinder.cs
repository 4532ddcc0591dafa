using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>spf</c>: what an SPF fail does on its own, and whether the HELO identity is checked too.</summary>
internal static class SpfBinder
{
    public static SpfSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new SpfSettings();
        var section = context.Section(node, "spf", "on-fail", "check-helo");
        if (section?.Get("on-fail") is { } onFail
            && context.ReadEnum(onFail, "spf.on-fail", ("none", SpfFailAction.None), ("reject", SpfFailAction.Reject)) is { } action)
        {
            settings = settings with { OnFail = action };
        }

        if (section?.Get("check-helo") is { } checkHelo && context.ReadBool(checkHelo, "spf.check-helo") is { } check)
        {
            settings = settings with { CheckHelo = check };
        }

        return settings;
    }
}
