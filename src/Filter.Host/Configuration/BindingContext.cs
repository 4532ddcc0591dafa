using System.Globalization;

namespace Filter.Host.Configuration;

/// <summary>
/// State shared while one policy file is bound: the diagnostics found so far, the keys the file set
/// (so the summary can mark the rest as defaults) and the folder relative paths are resolved from.
/// Every reader here reports a problem and returns null instead of throwing, so that all problems of
/// a file are reported in one run.
/// </summary>
internal sealed class BindingContext(string baseDirectory)
{
    public List<ConfigDiagnostic> Diagnostics { get; } = [];

    public HashSet<string> ExplicitKeys { get; } = new(StringComparer.Ordinal);

    public string BaseDirectory { get; } = baseDirectory;

    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
            {
                if (diagnostic.Severity == ConfigSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Error(ConfigNode node, string message) =>
        Diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, node.Line, node.Column, message));

    public void Warning(ConfigNode node, string message) =>
        Diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Warning, node.Line, node.Column, message));

    /// <summary>A mapping's keys checked against <paramref name="knownKeys"/>; null (and an error) when the node is not a mapping.</summary>
    public SectionReader? Section(ConfigNode node, string path, params string[] knownKeys)
    {
        if (node is not ConfigMapping mapping)
        {
            Error(node, $"{path}: expected a mapping with keys {string.Join(", ", knownKeys)}; got {node.Describe()}");
            return null;
        }

        return new SectionReader(this, mapping, path, knownKeys);
    }

    public string? ReadString(ConfigNode node, string path, string expected)
    {
        if (node is ConfigScalar scalar)
        {
            return scalar.Value;
        }

        Error(node, $"{path}: expected {expected}, got {node.Describe()}");
        return null;
    }

    public int? ReadInt(ConfigNode node, string path, int min, int max, string? why = null)
    {
        var expected = string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}");
        if (node is not ConfigScalar scalar)
        {
            Error(node, $"{path}: expected {expected}, got {node.Describe()}");
            return null;
        }

        // Digits only (YAML 1.2 core decimal integers), with optional '_' separators as many YAML
        // files write them (1_048_576); no sign, no octal or hex surprises.
        var digits = scalar.Value.Replace("_", "", StringComparison.Ordinal);
        if (!scalar.IsPlain || digits.Length == 0 || !IsAsciiDigits(digits))
        {
            var hint = scalar.IsPlain ? "" : " (write numbers without quotes)";
            Error(node, $"{path}: expected {expected}, got {scalar.Describe()}{hint}");
            return null;
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var reason = why is null ? "" : " (" + why + ")";
            Error(node, $"{path}: {scalar.Value} is out of range; expected {expected}{reason}");
            return null;
        }

        return (int)value;
    }

    public bool? ReadBool(ConfigNode node, string path)
    {
        if (node is ConfigScalar { IsPlain: true, Value: "true" or "True" or "TRUE" })
        {
            return true;
        }

        if (node is ConfigScalar { IsPlain: true, Value: "false" or "False" or "FALSE" })
        {
            return false;
        }

        // YAML 1.1 read yes/no/on/off as booleans, YAML 1.2 does not; say so rather than guess.
        var hint = node is ConfigScalar { IsPlain: true, Value: var word } && IsYaml11Boolean(word)
            ? " (YAML 1.2 reads yes/no/on/off as strings)"
            : "";
        Error(node, $"{path}: expected true or false, got {node.Describe()}{hint}");
        return null;
    }

    /// <summary>One of <paramref name="choices"/>, compared exactly; a near miss gets a suggestion.</summary>
    public TEnum? ReadEnum<TEnum>(ConfigNode node, string path, params (string Word, TEnum Value)[] choices)
        where TEnum : struct, Enum
    {
        var words = new string[choices.Length];
        for (var i = 0; i < choices.Length; i++)
        {
            words[i] = choices[i].Word;
        }

        var expected = "one of " + string.Join(", ", words);
        if (node is not ConfigScalar scalar)
        {
            Error(node, $"{path}: expected {expected}, got {node.Describe()}");
            return null;
        }

        foreach (var (word, value) in choices)
        {
            if (string.Equals(word, scalar.Value, StringComparison.Ordinal))
            {
                return value;
            }
        }

        var suggestion = KeySuggester.Suggest(scalar.Value, words);
        var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
        Error(node, $"{path}: expected {expected}, got {scalar.Describe()}{hint}");
        return null;
    }

    public TimeSpan? ReadDuration(ConfigNode node, string path, TimeSpan min, TimeSpan max)
    {
        var expected = $"a duration from {DurationText.Format(min)} to {DurationText.Format(max)} such as 500ms, 2s or 1m";
        if (node is not ConfigScalar scalar)
        {
            Error(node, $"{path}: expected {expected}, got {node.Describe()}");
            return null;
        }

        if (!DurationText.TryParse(scalar.Value, out var value))
        {
            Error(node, $"{path}: expected {expected}, got {scalar.Describe()}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(node, $"{path}: {scalar.Value} is out of range; expected {expected}");
            return null;
        }

        return value;
    }

    /// <summary>A path relative to the policy file's folder made absolute, so that the daemon's working directory does not matter.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);

    private static bool IsAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsYaml11Boolean(string word) =>
        word.ToLowerInvariant() is "yes" or "no" or "on" or "off" or "y" or "n";
}
