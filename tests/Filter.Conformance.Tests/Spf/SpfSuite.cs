using YamlDotNet.RepresentationModel;

namespace Filter.Conformance.Tests.Spf;

/// <summary>Reads an OpenSPF suite file (a YAML stream, one scenario per document) into cases.</summary>
public static class SpfSuite
{
    public static IReadOnlyList<SpfSuiteCase> Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "spf", fileName);
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        var suite = Path.GetFileNameWithoutExtension(fileName);
        var cases = new List<SpfSuiteCase>();
        foreach (var document in stream.Documents)
        {
            var scenario = (YamlMappingNode)document.RootNode;
            var description = Scalar(scenario, "description") ?? "(no description)";
            var zoneData = scenario.Children.TryGetValue(new YamlScalarNode("zonedata"), out var zone) ? zone as YamlMappingNode : null;
            var tests = (YamlMappingNode)scenario.Children[new YamlScalarNode("tests")];
            foreach (var (idNode, testNode) in tests.Children)
            {
                var test = (YamlMappingNode)testNode;
                var resultNode = test.Children[new YamlScalarNode("result")];
                IReadOnlyList<string> results = resultNode is YamlSequenceNode list
                    ? [.. list.Children.Select(r => ((YamlScalarNode)r).Value!)]
                    : [((YamlScalarNode)resultNode).Value!];
                cases.Add(new SpfSuiteCase(
                    suite,
                    ((YamlScalarNode)idNode).Value!,
                    description,
                    Scalar(test, "helo") ?? string.Empty,
                    Scalar(test, "host") ?? throw new FormatException($"{idNode}: no host"),
                    Scalar(test, "mailfrom") ?? string.Empty,
                    results,
                    Scalar(test, "explanation"),
                    zoneData));
            }
        }

        return cases;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

}
