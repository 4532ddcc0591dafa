using System.Globalization;
using System.Xml;

namespace Filter.Host.Replay;

/// <summary>
/// Writes replay results as a JUnit XML report (one testsuite, one testcase per message, a failure
/// element listing the missed expectations), the format every CI system reads.
/// </summary>
internal static class JUnitReport
{
    public static void Write(string path, string suiteName, IReadOnlyList<ReplayResult> results)
    {
        var failures = 0;
        foreach (var result in results)
        {
            failures += result.Passed ? 0 : 1;
        }

        using var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true });
        writer.WriteStartDocument();
        writer.WriteStartElement("testsuites");
        writer.WriteStartElement("testsuite");
        writer.WriteAttributeString("name", suiteName);
        writer.WriteAttributeString("tests", results.Count.ToString(CultureInfo.InvariantCulture));
        writer.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        foreach (var result in results)
        {
            writer.WriteStartElement("testcase");
            writer.WriteAttributeString("classname", "authfilter.replay");
            writer.WriteAttributeString("name", result.Entry.Name);
            if (!result.Passed)
            {
                writer.WriteStartElement("failure");
                writer.WriteAttributeString("message", string.Join("; ", result.Mismatches));
                writer.WriteString(Filter.Engine.Pipeline.OutcomeSummary.Format(result.Outcome));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }
}
