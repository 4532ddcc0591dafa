using Filter.Engine.Dmarc;
using YamlDotNet.RepresentationModel;

namespace Filter.Conformance.Tests.Dmarc;

/// <summary>
/// Reads the vendored DMARC suite (Data/dmarc, see its README.md): records.yaml and evaluation.yaml,
/// with the expectation for each mode (`expect`, or `rfc7489` / `rfc9989` where the RFCs differ).
/// </summary>
internal static class DmarcSuiteData
{
    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "dmarc", file);

    public static YamlStream Load(string file)
    {
        using var reader = new StreamReader(DataPath(file));
        var stream = new YamlStream();
        stream.Load(reader);
        return stream;
    }

    public static string ModeKey(DmarcMode mode) => mode == DmarcMode.Rfc9989 ? "rfc9989" : "rfc7489";

    /// <summary>The expectation of a case for a mode, or null when the case has none for it.</summary>
    public static YamlMappingNode? Expectation(YamlMappingNode testCase, DmarcMode mode)
    {
        if (testCase.Children.TryGetValue(new YamlScalarNode(ModeKey(mode)), out var specific))
        {
            return (YamlMappingNode)specific;
        }

        return testCase.Children.TryGetValue(new YamlScalarNode("expect"), out var common) ? (YamlMappingNode)common : null;
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    /// <summary>An expected field: null when absent; a scalar is one allowed value; a list is "any of these".</summary>
    public static string[]? Allowed(YamlMappingNode expectation, string key)
    {
        if (!expectation.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return null;
        }

        if (value is YamlSequenceNode list)
        {
            var values = new string[list.Children.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((YamlScalarNode)list.Children[i]).Value!;
            }

            return values;
        }

        return [((YamlScalarNode)value).Value!];
    }

    public static string Word(DmarcPolicy policy) => policy.ToString().ToLowerInvariant();

    public static string Word(DmarcResultCode code) => code.ToString().ToLowerInvariant();

    public static string Word(DmarcAlignmentMode mode) => mode == DmarcAlignmentMode.Strict ? "s" : "r";

    public static string Word(DmarcPsd psd) => psd switch
    {
        DmarcPsd.Yes => "y",
        DmarcPsd.No => "n",
        _ => "u",
    };

    public static string Word(bool value) => value ? "true" : "false";

    /// <summary>Asserts an expected field when the case gives it.</summary>
    public static void Check(YamlMappingNode expectation, string key, string? actual)
    {
        var allowed = Allowed(expectation, key);
        if (allowed is not null)
        {
            Assert.That(actual, Is.AnyOf(allowed), key);
        }
    }
}
