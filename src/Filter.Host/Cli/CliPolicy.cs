using Filter.Engine.Dns;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Filter.Host.Dns;

namespace Filter.Host.Cli;

/// <summary>
/// What the offline verbs (check, replay, diff) share: the policy from <c>--policy</c> (or
/// <c>./filter.yaml</c> when present, else the defaults) and DNS from zone files or the live resolver.
/// Problems are written to the error writer and give null; they never throw.
/// </summary>
internal static class CliPolicy
{
    public static async Task<FilterPolicy?> LoadAsync(string? file, TextWriter error)
    {
        file ??= File.Exists("filter.yaml") ? "filter.yaml" : null;
        if (file is null)
        {
            return FilterPolicy.Default with { AuthservId = PolicyFileLoader.ForThisHost().DefaultAuthservId };
        }

        var loaded = PolicyFileLoader.ForThisHost().Load(file);
        foreach (var line in loaded.FormatDiagnostics())
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        return loaded.Policy;
    }

    public static async Task<IDnsResolver?> ResolverAsync(IReadOnlyList<string> zoneFiles, FilterPolicy policy, TextWriter error)
    {
        if (zoneFiles.Count == 0)
        {
            return DnsResolverFactory.CreateLive(policy.Dns, TimeProvider.System);
        }

        var zone = DnsResolverFactory.ReadZones(zoneFiles, out var errors);
        foreach (var zoneError in errors)
        {
            await error.WriteLineAsync(zoneError.ToString()).ConfigureAwait(false);
        }

        return zone is null ? null : new ZoneResolver(zone);
    }
}
