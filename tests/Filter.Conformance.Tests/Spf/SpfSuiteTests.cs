using System.Net;
using Filter.Engine.Dns;
using Filter.Engine.Spf;
using Filter.Testing.Zones;

namespace Filter.Conformance.Tests.Spf;

/// <summary>
/// The OpenSPF suites (Data/spf), one NUnit case per scenario/test pair, each scenario's zonedata
/// served by <see cref="ZoneResolver"/>. The default explanation is the literal "DEFAULT", as the
/// suite's README asks; any listed result passes; the explanation is compared when given.
/// </summary>
public sealed class SpfSuiteTests
{
    public static IEnumerable<TestCaseData> Rfc7208Cases() => ToCases(SpfSuite.Load("rfc7208-tests.yml"));

    public static IEnumerable<TestCaseData> Rfc4408Cases() => ToCases(SpfSuite.Load("rfc4408-tests.yml"));

    [Test]
    public void SuitesHaveTheDocumentedNumberOfTests()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SpfSuite.Load("rfc7208-tests.yml"), Has.Count.EqualTo(203));
            Assert.That(SpfSuite.Load("rfc4408-tests.yml"), Has.Count.EqualTo(191));
        });
    }

    [Test]
    public void EveryListedDeviationNamesARealCase()
    {
        var ids = SpfSuite.Load("rfc7208-tests.yml").Concat(SpfSuite.Load("rfc4408-tests.yml")).Select(c => c.ToString()).ToHashSet();
        var listed = SpfSuiteDeviations.CaseInsensitiveExplanation.Keys.Concat(SpfSuiteDeviations.Rfc4408.Keys.Select(k => "rfc4408-tests/" + k));
        Assert.That(listed.Where(id => !ids.Contains(id)), Is.Empty);
    }

    [TestCaseSource(nameof(Rfc7208Cases))]
    public Task Rfc7208(SpfSuiteCase test) => RunAsync(test, test.Results);

    [TestCaseSource(nameof(Rfc4408Cases))]
    public Task Rfc4408(SpfSuiteCase test) =>
        RunAsync(test, SpfSuiteDeviations.Rfc4408.TryGetValue(test.Id, out var deviation) ? deviation.Results : test.Results);

    private static async Task RunAsync(SpfSuiteCase test, IReadOnlyList<string> acceptable)
    {
        var resolver = new ZoneResolver(YamlZoneData.ToZone(test.ZoneData));
        var evaluator = new SpfEvaluator(resolver, new SpfOptions { DefaultExplanation = "DEFAULT", ReceiverName = "receiver.example" });

        var result = await evaluator.CheckMailFromAsync(IPAddress.Parse(test.Host), test.Helo, test.MailFrom, CancellationToken.None);

        Assert.That(acceptable, Does.Contain(result.ResultWord), $"{test.Scenario}: {result.Reason}");
        if (test.Explanation is not null)
        {
            var expected = Is.EqualTo(test.Explanation);
            Assert.That(
                result.Explanation,
                SpfSuiteDeviations.CaseInsensitiveExplanation.ContainsKey(test.ToString()) ? expected.IgnoreCase : expected,
                result.Reason);
        }
    }

    private static IEnumerable<TestCaseData> ToCases(IEnumerable<SpfSuiteCase> cases) =>
        cases.Select(c => new TestCaseData(c).SetName(c.Id).SetDescription(c.Scenario));
}
