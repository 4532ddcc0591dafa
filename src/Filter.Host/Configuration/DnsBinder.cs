using System.Net;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>dns</c>: nameservers, timeout, retries, cache-size.</summary>
internal static class DnsBinder
{
    public static DnsSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new DnsSettings();
        var section = context.Section(node, "dns", "nameservers", "timeout", "retries", "cache-size");
        if (section is null)
        {
            return settings;
        }

        if (section.Get("nameservers") is { } serversNode)
        {
            settings = settings with { Nameservers = BindNameservers(serversNode, context) };
        }

        if (section.Get("timeout") is { } timeout
            && context.ReadDuration(timeout, "dns.timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)) is { } t)
        {
            settings = settings with { Timeout = t };
        }

        if (section.Get("retries") is { } retries && context.ReadInt(retries, "dns.retries", 0, 5) is { } r)
        {
            settings = settings with { Retries = r };
        }

        if (section.Get("cache-size") is { } cache && context.ReadInt(cache, "dns.cache-size", 0, 10_000_000) is { } c)
        {
            settings = settings with { CacheSize = c };
        }

        return settings;
    }

    private static IReadOnlyList<IPEndPoint> BindNameservers(ConfigNode node, BindingContext context)
    {
        if (node is not ConfigSequence sequence)
        {
            context.Error(node, $"dns.nameservers: expected a list of addresses such as [127.0.0.1, \"[::1]:53\"], got {node.Describe()}");
            return [];
        }

        var servers = new List<IPEndPoint>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var path = $"dns.nameservers[{i}]";
            if (item is not ConfigScalar scalar)
            {
                context.Error(item, $"{path}: expected an address such as 127.0.0.1 or 127.0.0.1:5353, got {item.Describe()}");
                continue;
            }

            var error = AddressText.TryParseEndpoint(scalar.Value, defaultPort: 53, out var endpoint);
            if (error is not null)
            {
                context.Error(item, path + ": " + error);
                continue;
            }

            servers.Add(endpoint);
        }

        return servers;
    }
}
