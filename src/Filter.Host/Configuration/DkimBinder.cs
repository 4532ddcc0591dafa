using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>dkim</c>: min-rsa-bits and clock-skew.</summary>
internal static class DkimBinder
{
    public static DkimSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new DkimSettings();
        var section = context.Section(node, "dkim", "min-rsa-bits", "clock-skew");
        if (section is null)
        {
            return settings;
        }

        if (section.Get("min-rsa-bits") is { } bits
            && context.ReadInt(bits, "dkim.min-rsa-bits", 1024, 4096, "RFC 8301 §3.2 forbids accepting RSA keys under 1024 bits") is { } b)
        {
            settings = settings with { MinimumRsaBits = b };
        }

        if (section.Get("clock-skew") is { } skew
            && context.ReadDuration(skew, "dkim.clock-skew", TimeSpan.Zero, TimeSpan.FromHours(1)) is { } s)
        {
            settings = settings with { ClockSkew = s };
        }

        return settings;
    }
}
