using Filter.Engine.Dmarc;
using YamlDotNet.RepresentationModel;

namespace Filter.Conformance.Tests.Dmarc;

/// <summary>
/// Data/dmarc/records.yaml: one case per record and mode (RFC 9989 §4.7, §4.8, §4.10.1; RFC 7489 §6.3,
/// §6.6.3). `use` maps to <see cref="DmarcRecordParseStatus"/>: record, ignore (NotDmarc), no-dmarc.
/// </summary>
public sealed class DmarcRecordConformanceTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        var root = (YamlSequenceNode)DmarcSuiteData.Load("records.yaml").Documents[0].RootNode;
        foreach (var node in root.Children)
        {
            var testCase = (YamlMappingNode)node;
            var id = DmarcSuiteData.Scalar(testCase, "id")!;
            foreach (var mode in new[] { DmarcMode.Rfc9989, DmarcMode.Rfc7489 })
            {
                if (DmarcSuiteData.Expectation(testCase, mode) is not null)
                {
                    yield return new TestCaseData(id, mode).SetName($"records.{id}.{DmarcSuiteData.ModeKey(mode)}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Record(string id, DmarcMode mode)
    {
        var testCase = Find(id);
        var expectation = DmarcSuiteData.Expectation(testCase, mode)!;
        var parsed = DmarcRecordParser.Parse(DmarcSuiteData.Scalar(testCase, "record") ?? string.Empty, mode);

        Assert.Multiple(() =>
        {
            var use = parsed.Status switch
            {
                DmarcRecordParseStatus.Record => "record",
                DmarcRecordParseStatus.NotDmarc => "ignore",
                _ => "no-dmarc",
            };
            DmarcSuiteData.Check(expectation, "use", use);
            if (parsed.Status == DmarcRecordParseStatus.NotDmarc)
            {
                Assert.That(parsed.Record, Is.Null);
                return;
            }

            var record = parsed.Record!;
            DmarcSuiteData.Check(expectation, "p", DmarcSuiteData.Word(record.Policy));
            DmarcSuiteData.Check(expectation, "sp", DmarcSuiteData.Word(record.SubdomainPolicy));
            DmarcSuiteData.Check(expectation, "np", DmarcSuiteData.Word(record.NonExistentPolicy));
            DmarcSuiteData.Check(expectation, "adkim", DmarcSuiteData.Word(record.DkimAlignment));
            DmarcSuiteData.Check(expectation, "aspf", DmarcSuiteData.Word(record.SpfAlignment));
            DmarcSuiteData.Check(expectation, "pct", record.Percent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            DmarcSuiteData.Check(expectation, "t", record.TestMode ? "y" : "n");
            DmarcSuiteData.Check(expectation, "psd", DmarcSuiteData.Word(record.Psd));
        });
    }

    private static YamlMappingNode Find(string id)
    {
        var root = (YamlSequenceNode)DmarcSuiteData.Load("records.yaml").Documents[0].RootNode;
        foreach (var node in root.Children)
        {
            if (DmarcSuiteData.Scalar((YamlMappingNode)node, "id") == id)
            {
                return (YamlMappingNode)node;
            }
        }

        throw new InvalidOperationException($"records.yaml has no case {id}");
    }
}
