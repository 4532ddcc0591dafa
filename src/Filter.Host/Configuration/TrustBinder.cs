using System.Net;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>trusted</c>: networks (CIDRs) and authenticated-clients.</summary>
internal static class TrustBinder
{
    public static TrustSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new TrustSettings();
        var section = context.Section(node, "trusted", "networks", "authenticated-clients");
        if (section is null)
        {
            return settings;
        }

        if (section.Get("networks") is { } networksNode)
        {
            settings = settings with { Networks = BindNetworks(networksNode, context) };
        }

        if (section.Get("authenticated-clients") is { } auth && context.ReadBool(auth, "trusted.authenticated-clients") is { } bypass)
        {
            settings = settings with { BypassAuthenticated = bypass };
        }

        return settings;
    }

    private static IReadOnlyList<IPNetwork> BindNetworks(ConfigNode node, BindingContext context)
    {
        if (node is not ConfigSequence sequence)
        {
            context.Error(node, $"trusted.networks: expected a list of networks such as [192.0.2.0/24, \"2001:db8::/32\"], got {node.Describe()}");
            return [];
        }

        var networks = new List<IPNetwork>();
        var seen = new Dictionary<IPNetwork, ConfigNode>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var path = $"trusted.networks[{i}]";
            if (item is not ConfigScalar scalar)
            {
                context.Error(item, $"{path}: expected a network such as 192.0.2.0/24, got {item.Describe()}");
                continue;
            }

            var error = AddressText.TryParseNetwork(scalar.Value, out var network);
            if (error is not null)
            {
                context.Error(item, path + ": " + error);
                continue;
            }

            if (seen.TryGetValue(network, out var first))
            {
                context.Error(item, $"{path}: {network} is listed twice (first at line {first.Line})");
                continue;
            }

            seen.Add(network, item);
            networks.Add(network);
        }

        return networks;
    }
}
