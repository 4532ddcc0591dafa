using Filter.Testing.Dns;

namespace Filter.EndToEnd.Tests.Dns;

/// <summary>
/// Starts knotd for a test, or skips the test when knotd is not installed (a laptop), except under
/// CI=true, where a missing server is a failure (DESIGN.md house rule for real-part tests).
/// </summary>
internal static class KnotRequirement
{
    public static readonly string ZoneFolder = Path.Combine(AppContext.BaseDirectory, "Data", "Dns");

    public static async Task<KnotDnsServer> StartTestZonesAsync()
    {
        if (KnotDnsServer.FindExecutable() is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("knotd not installed, and CI=true requires the end-to-end DNS tests to run (apt-get install knot)");
            }

            Assert.Ignore("knotd not installed");
        }

        var zones = new Dictionary<string, string>
        {
            ["example.test"] = await File.ReadAllTextAsync(Path.Combine(ZoneFolder, "example.test.zone")),
            ["2.0.192.in-addr.arpa"] = await File.ReadAllTextAsync(Path.Combine(ZoneFolder, "2.0.192.in-addr.arpa.zone")),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await KnotDnsServer.StartAsync(zones, timeout.Token);
    }
}
