using System.Net;

namespace Filter.Engine.Policy;

/// <summary>
/// Clients whose mail is not judged, only recorded: the Authentication-Results header is still
/// written, but the verdict is accept (DESIGN.md "One message", step 2).
/// </summary>
public sealed record TrustSettings
{
    /// <summary>Networks of internal relays. Default: none, so nothing is exempt unless listed.</summary>
    public IReadOnlyList<IPNetwork> Networks { get; init; } = [];

    /// <summary>Whether a client that authenticated (the MTA sent a non-empty <c>{auth_authen}</c> macro) is exempt. Default true.</summary>
    public bool BypassAuthenticated { get; init; } = true;

    /// <summary>
    /// Whether <paramref name="client"/> lies in one of <see cref="Networks"/>. An IPv4-mapped IPv6
    /// address (::ffff:192.0.2.1, as a dual-stack socket reports IPv4 clients) is compared as IPv4.
    /// </summary>
    public bool IsTrustedNetwork(IPAddress client)
    {
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var networks = Networks;
        for (var i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
