using YamlDotNet.RepresentationModel;

namespace Filter.Conformance.Tests.Spf;

/// <summary>One scenario/test pair of an OpenSPF suite file, with its scenario's zonedata.</summary>
public sealed record SpfSuiteCase(
    string Suite,
    string Id,
    string Scenario,
    string Helo,
    string Host,
    string MailFrom,
    IReadOnlyList<string> Results,
    string? Explanation,
    YamlMappingNode? ZoneData)
{
    public override string ToString() => $"{Suite}/{Id}";
}
