using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Spf;
using Filter.Testing.Dns;
using Filter.Testing.Zones;
using YamlDotNet.RepresentationModel;

namespace Filter.Conformance.Tests.Dmarc;

/// <summary>
/// Data/dmarc/evaluation.yaml: one case per scenario test and mode. RFC 7489 mode discovers through the
/// Public Suffix List (the embedded snapshot, the one in Data/psl), RFC 9989 mode through the Tree Walk.
/// The zone data is served as it is by <see cref="ZoneResolver"/>; `dmarc_queries` is compared with the
/// TXT queries made during policy discovery (before the SPF and DKIM inputs are given).
/// </summary>
public sealed class DmarcEvaluationConformanceTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        var stream = DmarcSuiteData.Load("evaluation.yaml");
        for (var documentIndex = 0; documentIndex < stream.Documents.Count; documentIndex++)
        {
            var scenario = (YamlMappingNode)stream.Documents[documentIndex].RootNode;
            var tests = (YamlMappingNode)scenario.Children[new YamlScalarNode("tests")];
            foreach (var (nameNode, testNode) in tests.Children)
            {
                var name = ((YamlScalarNode)nameNode).Value!;
                foreach (var mode in new[] { DmarcMode.Rfc9989, DmarcMode.Rfc7489 })
                {
                    if (DmarcSuiteData.Expectation((YamlMappingNode)testNode, mode) is not null)
                    {
                        yield return new TestCaseData(documentIndex, name, mode).SetName($"evaluation.{name}.{DmarcSuiteData.ModeKey(mode)}");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Evaluation(int documentIndex, string name, DmarcMode mode)
    {
        var scenario = (YamlMappingNode)DmarcSuiteData.Load("evaluation.yaml").Documents[documentIndex].RootNode;
        scenario.Children.TryGetValue(new YamlScalarNode("zonedata"), out var zoneData);
        var test = (YamlMappingNode)((YamlMappingNode)scenario.Children[new YamlScalarNode("tests")]).Children[new YamlScalarNode(name)];
        var expectation = DmarcSuiteData.Expectation(test, mode)!;

        var resolver = new QueryRecordingResolver(new ZoneResolver(YamlZoneData.ToZone(zoneData as YamlMappingNode)));
        var evaluator = new DmarcEvaluator(resolver, new DmarcOptions { Mode = mode }, new SeededDmarcSampler(1));
        var evaluation = evaluator.Start(DmarcSuiteData.Scalar(test, "from")!, CancellationToken.None);
        await evaluation.DiscoveryCompletion;
        var discoveryQueries = resolver.TxtNames();
        var result = await evaluation.EvaluateAsync(Spf(test), Dkim(test), CancellationToken.None);

        Assert.Multiple(() =>
        {
            DmarcSuiteData.Check(expectation, "dmarc", DmarcSuiteData.Word(result.Code));
            DmarcSuiteData.Check(expectation, "policy", result.Policy is { } policy ? DmarcSuiteData.Word(policy) : null);
            DmarcSuiteData.Check(expectation, "enforced", result.EffectivePolicy is { } effective ? DmarcSuiteData.Word(effective) : null);
            DmarcSuiteData.Check(expectation, "policy_domain", result.PolicyDomain);
            DmarcSuiteData.Check(expectation, "org_domain", result.OrganizationalDomain);
            DmarcSuiteData.Check(expectation, "spf_aligned", DmarcSuiteData.Word(result.SpfAligned));
            DmarcSuiteData.Check(expectation, "dkim_aligned", DmarcSuiteData.Word(result.DkimAligned));
            if (DmarcSuiteData.Allowed(expectation, "dmarc_queries") is { } queries)
            {
                Assert.That(discoveryQueries, Is.EqualTo(queries), "dmarc_queries (RFC 9989 4.10, exact order)");
            }

            // Whatever the case asserts, a failing message's disposition is the effective policy.
            if (result.Code == DmarcResultCode.Fail)
            {
                Assert.That((int)result.Disposition, Is.EqualTo((int)result.EffectivePolicy!.Value));
            }
        });
    }

    private static SpfResult? Spf(YamlMappingNode test)
    {
        if (!test.Children.TryGetValue(new YamlScalarNode("spf"), out var node))
        {
            return null;
        }

        var spf = (YamlMappingNode)node;
        var domain = DmarcSuiteData.Scalar(spf, "domain")!;
        return new SpfResult(ParseSpf(DmarcSuiteData.Scalar(spf, "result")!), SpfIdentity.MailFrom, domain, "sender@" + domain, null, null, "suite input");
    }

    private static List<DkimSignatureResult> Dkim(YamlMappingNode test)
    {
        var results = new List<DkimSignatureResult>();
        if (test.Children.TryGetValue(new YamlScalarNode("dkim"), out var node))
        {
            foreach (var item in ((YamlSequenceNode)node).Children)
            {
                var signature = (YamlMappingNode)item;
                var code = Enum.Parse<DkimResultCode>(DmarcSuiteData.Scalar(signature, "result")!, ignoreCase: true);
                results.Add(new DkimSignatureResult(code, DmarcSuiteData.Scalar(signature, "domain")!, null, "s", "rsa-sha256", null, "suite input"));
            }
        }

        return results;
    }

    private static SpfResultCode ParseSpf(string word) => Enum.Parse<SpfResultCode>(word, ignoreCase: true);
}
