using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>limits</c>: every resource limit, with ranges that keep the RFCs' fixed numbers as upper bounds.</summary>
internal static class LimitsBinder
{
    public static PolicyLimits Bind(ConfigNode node, BindingContext context)
    {
        var limits = new PolicyLimits();
        var section = context.Section(
            node, "limits",
            "header-bytes", "header-count", "packet-size", "dkim-signatures", "spf-lookups", "spf-void-lookups", "dmarc-tree-walk", "sessions");
        if (section is null)
        {
            return limits;
        }

        limits = Read(section, "header-bytes", 4096, 64 << 20, null, context) is { } hb ? limits with { HeaderBytes = hb } : limits;
        limits = Read(section, "header-count", 16, 100_000, null, context) is { } hc ? limits with { HeaderCount = hc } : limits;
        limits = Read(section, "packet-size", 65_536, 64 << 20, "the MTAs send packets of up to 65535 payload bytes", context) is { } ps
            ? limits with { PacketSize = ps }
            : limits;
        limits = Read(section, "dkim-signatures", 1, 50, null, context) is { } ds ? limits with { DkimSignatures = ds } : limits;
        limits = Read(section, "spf-lookups", 1, 10, "RFC 7208 §4.6.4 caps DNS-querying terms at 10", context) is { } sl
            ? limits with { SpfLookups = sl }
            : limits;
        limits = Read(section, "spf-void-lookups", 1, 10, null, context) is { } sv ? limits with { SpfVoidLookups = sv } : limits;
        limits = Read(section, "dmarc-tree-walk", 1, 8, "RFC 9989 §4.10 walks at most 8 names", context) is { } tw
            ? limits with { DmarcTreeWalk = tw }
            : limits;
        limits = Read(section, "sessions", 1, 65_536, null, context) is { } s ? limits with { Sessions = s } : limits;
        return limits;
    }

    private static int? Read(SectionReader section, string key, int min, int max, string? why, BindingContext context) =>
        section.Get(key) is { } node ? context.ReadInt(node, section.KeyPath(key), min, max, why) : null;
}
