using System.Text;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dns;
using Filter.Testing;

namespace Filter.Benchmarks.Dns;

/// <summary>
/// Cost of reading master files: the Quick-start sample, and a generated zone of 1,000 names with
/// four records each (A, AAAA, MX and a two-string TXT), the size of a large test or replay zone.
/// </summary>
[MemoryDiagnoser]
public class ZoneFileReaderBenchmarks
{
    private const int Names = 1000;

    private string _sample = "";
    private string _generated = "";

    [GlobalSetup]
    public void Setup()
    {
        _sample = File.ReadAllText(TestPaths.InRepository("samples", "zones", "example.zone"));
        var builder = new StringBuilder("$TTL 3600\n$ORIGIN example.com.\n");
        for (var i = 0; i < Names; i++)
        {
            builder.Append("host").Append(i).Append(" IN A 192.0.2.").Append(i % 256).Append('\n')
                .Append("    IN AAAA 2001:db8::").Append(i.ToString("x")).Append('\n')
                .Append("    IN MX 10 mail").Append(i % 10).Append('\n')
                .Append("    IN TXT \"v=spf1 ip4:192.0.2.0/24 \" \"include:_spf.example.net -all\" ; comment\n");
        }

        _generated = builder.ToString();
        if (!ZoneFileReader.Read(_generated).Succeeded || !ZoneFileReader.Read(_sample).Succeeded)
        {
            throw new InvalidOperationException("benchmark zones must read without errors");
        }
    }

    [Benchmark]
    public DnsZone SampleZone() => ZoneFileReader.Parse(_sample);

    /// <summary>4,000 records; divide by 4,000 for the cost of one record.</summary>
    [Benchmark]
    public DnsZone Generated4000Records() => ZoneFileReader.Parse(_generated);
}
