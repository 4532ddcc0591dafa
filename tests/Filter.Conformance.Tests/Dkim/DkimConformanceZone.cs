using Filter.Engine.Dns;

namespace Filter.Conformance.Tests.Dkim;

/// <summary>
/// Loads a conformance zone file with <see cref="ZoneFileReader"/>. mail-dkim.zone lists the two names
/// that Mail::DKIM's fake DNS makes fail as comments ("; NAME answers with a DNS error: Query timed
/// out" / "...: SERVFAIL") and asks the harness to make those lookups fail; this does that.
/// </summary>
internal static class DkimConformanceZone
{
    private const string Marker = " answers with a DNS error: ";

    public static DnsZone Load(string path)
    {
        var zone = ZoneFileReader.LoadFile(path);
        foreach (var line in File.ReadLines(path))
        {
            var marker = line.IndexOf(Marker, StringComparison.Ordinal);
            if (!line.StartsWith(';') || marker < 0)
            {
                continue;
            }

            var name = line[1..marker].Trim();
            var status = line.Contains("SERVFAIL", StringComparison.Ordinal)
                ? DnsResponseStatus.ServerFailure
                : DnsResponseStatus.Timeout;
            zone.AddFailure(name, status);
        }

        return zone;
    }
}
