using Filter.Engine.Dns;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Filter.Host.Dns;

namespace Filter.Host.Cli;

/// <summary>
/// The resolver of a CLI verb, the same way for every verb: the RFC 1035 zone files of <c>--zone</c>
/// (several read as one zone by <see cref="DnsResolverFactory.ReadZones"/>), or, without them, the live
/// resolver of <see cref="DnsResolverFactory.CreateLive"/> configured by the <c>dns:</c> section of the
/// policy file (<c>--config</c>, default ./filter.yaml when present, else the system's resolvers).
/// </summary>
internal static class CliDnsResolver
{
    /// <summary>The resolver, or null after writing the zone or policy file errors to <paramref name="error"/>.</summary>
    public static async Task<IDnsResolver?> CreateAsync(IReadOnlyList<string> zoneFiles, string? configFile, TextWriter error)
    {
        if (zoneFiles.Count > 0)
        {
            var zone = DnsResolverFactory.ReadZones(zoneFiles, out var zoneErrors);
            if (zone is null)
            {
                foreach (var zoneError in zoneErrors)
                {
                    await error.WriteLineAsync(zoneError.ToString()).ConfigureAwait(false);
                }
            }

            return zone is null ? null : new ZoneResolver(zone);
        }

        var settings = new DnsSettings();
        var file = configFile ?? (File.Exists("filter.yaml") ? "filter.yaml" : null);
        if (file is not null)
        {
            var loaded = PolicyFileLoader.ForThisHost().Load(file);
            foreach (var line in loaded.FormatDiagnostics())
            {
                await error.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (loaded.Policy is null)
            {
                return null;
            }

            settings = loaded.Policy.Dns;
        }

        return DnsResolverFactory.CreateLive(settings, TimeProvider.System);
    }
}
