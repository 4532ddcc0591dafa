using System.Text.Json;
using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

public sealed class BenchReportTests
{
    [Test]
    public void Json_carries_counts_errors_latency_and_target_cost()
    {
        var result = new BenchResult { Attempted = 10, Accepted = 6, Rejected = 2, TempFailed = 1, Timeouts = 1, Elapsed = TimeSpan.FromSeconds(2) };
        for (int i = 1; i <= 9; i++)
        {
            result.EndOfMessage.Record(i * 1000);
        }

        var report = new BenchReport("throughput", "inet:127.0.0.1:1", 4, result) { TargetCpuMilliseconds = 18 };

        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("completed").GetInt64(), Is.EqualTo(9));
            Assert.That(root.GetProperty("messagesPerSecond").GetDouble(), Is.EqualTo(4.5));
            Assert.That(root.GetProperty("tempfailed").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("errors").GetProperty("timeout").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("errors").GetProperty("total").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("endOfMessageMicroseconds").GetProperty("p50").GetDouble(), Is.InRange(5.0, 5.1), "within 1/64, printed to 0.1 us");
            Assert.That(root.GetProperty("endOfMessageMicroseconds").GetProperty("max").GetDouble(), Is.EqualTo(9.0));
            Assert.That(root.GetProperty("targetCpuMillisecondsPerMessage").GetDouble(), Is.EqualTo(2.0));
            Assert.That(report.ToText(), Does.Contain("1 tempfailed").And.Contain("2 rejected"));
        });
    }

    [Test]
    public void The_load_tools_own_cpu_is_reported_per_message()
    {
        var result = new BenchResult { Attempted = 4, Accepted = 4, Elapsed = TimeSpan.FromSeconds(1) };
        var report = new BenchReport("throughput", "inet:127.0.0.1:1", 2, result) { LoadToolCpuMilliseconds = 2 };
        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("loadToolCpuMillisecondsPerMessage").GetDouble(), Is.EqualTo(0.5));
            Assert.That(report.ToText(), Does.Contain("load tool cpu").And.Contain("0.500 ms/message"));
            Assert.That((report with { LoadToolCpuMilliseconds = null }).ToText(), Does.Not.Contain("load tool cpu"));
        });
    }

    [Test]
    public void The_load_tools_own_allocation_is_reported_per_message()
    {
        var result = new BenchResult { Attempted = 4000, Accepted = 4000, Elapsed = TimeSpan.FromSeconds(1) };
        var report = new BenchReport("throughput", "inet:127.0.0.1:1", 8, result) { LoadToolAllocatedBytes = 96_000, LoadToolGen0Collections = 1 };
        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(report.ToText(), Does.Contain("load tool alloc 24 bytes/message (94 KiB over the run), 1 gen0 GCs"));
            Assert.That(json.RootElement.GetProperty("loadToolAllocatedBytesPerMessage").GetDouble(), Is.EqualTo(24.0));
            Assert.That(json.RootElement.GetProperty("loadToolGen0Collections").GetInt32(), Is.EqualTo(1));
            Assert.That((report with { LoadToolAllocatedBytes = null }).ToText(), Does.Not.Contain("load tool alloc"), "not measured, not printed");
            Assert.That((report with { Mode = "idle-connections" }).ToText(), Does.Not.Contain("load tool alloc"), "no messages in idle mode");
        });
    }

    [Test]
    public void The_pacing_is_reported_as_a_rate_or_back_to_back()
    {
        var result = new BenchResult { Attempted = 1, Accepted = 1, Elapsed = TimeSpan.FromSeconds(1) };
        var paced = new BenchReport("throughput", "inet:127.0.0.1:1", 8, result) { Rate = 1000 };
        var closed = paced with { Rate = null };

        using JsonDocument pacedJson = JsonDocument.Parse(paced.ToJson());
        using JsonDocument closedJson = JsonDocument.Parse(closed.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(pacedJson.RootElement.GetProperty("rate").GetDouble(), Is.EqualTo(1000));
            Assert.That(closedJson.RootElement.GetProperty("rate").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(paced.ToText(), Does.Contain("rate            1000 messages/s"));
            Assert.That(closed.ToText(), Does.Contain("rate            back to back"));
        });
    }

    [Test]
    public void Memory_mode_reports_peak_growth_only_when_the_peak_was_reset()
    {
        var result = new BenchResult { Attempted = 1000, Accepted = 1000 };
        var reset = new BenchReport("idle-connections", "inet:127.0.0.1:1", 1000, result)
        {
            MemoryBefore = new ProcessMemory(60_000, 90_000),
            MemoryDuring = new ProcessMemory(70_000, 71_000),
            MemoryAfter = new ProcessMemory(65_000, 72_000),
            PeakReset = true,
        };
        var notReset = reset with { PeakReset = false };

        using JsonDocument json = JsonDocument.Parse(reset.ToJson());
        using JsonDocument jsonNotReset = JsonDocument.Parse(notReset.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(reset.PeakGrowthKiB, Is.EqualTo(12_000), "peak during the load minus RSS before it");
            Assert.That(json.RootElement.GetProperty("peakGrowthKiB").GetInt64(), Is.EqualTo(12_000));
            Assert.That(reset.ToText(), Does.Contain("peak growth     12000 KiB"));
            Assert.That(notReset.PeakGrowthKiB, Is.Null, "a peak that predates the load says nothing about it");
            Assert.That(jsonNotReset.RootElement.TryGetProperty("peakGrowthKiB", out _), Is.False);
        });
    }
}
