using Filter.Host.Metrics;

namespace Filter.Host.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Test]
    public void Series_with_the_same_tags_add_up_and_different_tags_stay_apart()
    {
        using var metrics = new FilterMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        for (int i = 0; i < 3; i++)
        {
            metrics.MessageJudged("accept", 0.0002);
            metrics.ResultWritten("dkim", "pass");
        }

        metrics.MessageJudged("reject", 0.003);
        metrics.ResultWritten("dkim", "fail");
        metrics.ResultWritten("spf", "pass");
        metrics.DnsQuery("TXT");

        string text = exporter.Render();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("authfilter_messages_total{verdict=\"accept\"} 3\n"));
            Assert.That(text, Does.Contain("authfilter_messages_total{verdict=\"reject\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"dkim\",result=\"pass\"} 3\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"dkim\",result=\"fail\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_results_total{method=\"spf\",result=\"pass\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_dns_queries_total{type=\"TXT\"} 1\n"));
            Assert.That(text, Does.Contain("authfilter_eom_latency_seconds_bucket{le=\"0.00025\"} 3\n"));
            Assert.That(text, Does.Contain("authfilter_eom_latency_seconds_count 4\n"));
        });
    }

    [Test]
    public void Label_values_are_escaped_once_and_reused_equal()
    {
        using var metrics = new FilterMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        // A result word built at run time (not the same string instance) must land in the same series.
        metrics.ResultWritten("dmarc", "we\"ird\\word\n");
        metrics.ResultWritten("dmarc", string.Concat("we\"ird", "\\word\n"));
        Assert.That(exporter.Render(), Does.Contain("authfilter_results_total{method=\"dmarc\",result=\"we\\\"ird\\\\word\\n\"} 2\n"));
    }
}
