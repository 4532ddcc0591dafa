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
}
