using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Policy;

namespace Filter.Host.Dns;

/// <summary>
/// The one place the host turns settings into an <see cref="IDnsResolver"/>: zone files given on the
/// command line (<c>--zone</c>, for demos, tests and replays) or the live resolver configured by the
/// <c>dns:</c> section of filter.yaml. Every verb and the daemon go through here, so they resolve
/// alike.
/// </summary>
internal static class DnsResolverFactory
{
    /// <summary>The live resolver behind its cache, as <paramref name="settings"/> describe it.</summary>
    public static IDnsResolver CreateLive(DnsSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new LiveDnsResolverOptions
        {
            NameServers = settings.Nameservers,
            Timeout = settings.Timeout,
            Retries = settings.Retries,
            Cache = new DnsCacheOptions { MaxEntries = settings.CacheSize },
        };
        return LiveDnsResolver.Create(options, timeProvider);
    }

    /// <summary>
    /// Reads zone files into one zone. Several files become one zone through a tiny master file that
    /// <c>$INCLUDE</c>s each, so every file keeps its own <c>$ORIGIN</c> and <c>$TTL</c> and errors name
    /// the file and line they come from. Returns null with the errors when any file is bad.
    /// </summary>
    public static DnsZone? ReadZones(IReadOnlyList<string> files, out IReadOnlyList<ZoneFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        ZoneFileReadResult read;
        if (files.Count == 1)
        {
            read = ZoneFileReader.ReadFile(files[0]);
        }
        else
        {
            var master = new StringBuilder();
            foreach (var file in files)
            {
                var path = Path.GetFullPath(file)
                    .Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("\"", "\\\"", StringComparison.Ordinal);
                master.Append("$INCLUDE \"").Append(path).Append("\"\n");
            }

            read = ZoneFileReader.Read(master.ToString(), new ZoneFileReaderOptions { FileName = "--zone" });
        }

        errors = read.Errors;
        return read.Succeeded ? read.Zone : null;
    }
}
