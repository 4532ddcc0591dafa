using Filter.Engine.Dmarc;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>dmarc</c>: mode, public-suffix-list, multiple-from; and the check that RFC 7489 mode has its list.</summary>
internal static class DmarcBinder
{
    public static DmarcSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new DmarcSettings();
        var section = context.Section(node, "dmarc", "mode", "public-suffix-list", "multiple-from");
        if (section is null)
        {
            return settings;
        }

        var modeNode = section.Get("mode");
        if (modeNode is not null
            && context.ReadEnum(modeNode, "dmarc.mode", ("rfc9989", DmarcMode.Rfc9989), ("rfc7489", DmarcMode.Rfc7489)) is { } mode)
        {
            settings = settings with { Mode = mode };
        }

        if (section.Get("multiple-from") is { } multiple
            && context.ReadEnum(multiple, "dmarc.multiple-from", ("reject", MultipleFromHandling.Reject), ("strictest", MultipleFromHandling.Strictest)) is { } m)
        {
            settings = settings with { MultipleFrom = m };
        }

        var pslNode = section.Get("public-suffix-list");
        var psl = pslNode is null ? null : context.ReadString(pslNode, "dmarc.public-suffix-list", "the path of public_suffix_list.dat");
        if (settings.Mode == DmarcMode.Rfc7489)
        {
            if (psl is null)
            {
                if (pslNode is null)
                {
                    context.Error(modeNode!, "dmarc.mode: rfc7489 needs dmarc.public-suffix-list, the path of public_suffix_list.dat (RFC 7489 §3.2 finds the organizational domain with it)");
                }

                return settings;
            }

            var full = context.ResolvePath(psl);
            if (!File.Exists(full))
            {
                context.Error(pslNode!, $"dmarc.public-suffix-list: file not found: {full}");
                return settings;
            }

            return settings with { PublicSuffixListPath = full };
        }

        if (psl is not null)
        {
            context.Warning(pslNode!, "dmarc.public-suffix-list is not used in rfc9989 mode (RFC 9989 §4.10 finds the organizational domain by the DNS Tree Walk)");
        }

        return settings;
    }
}
