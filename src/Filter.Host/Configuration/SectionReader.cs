namespace Filter.Host.Configuration;

/// <summary>
/// One mapping of the policy file with its allowed keys. Creating it reports every unknown key (with
/// a "did you mean" when one is close); <see cref="Get"/> then hands out the value of a known key,
/// treating an explicit null (<c>key:</c> or <c>key: ~</c>) as "not set, use the default".
/// </summary>
internal sealed class SectionReader
{
    private readonly BindingContext _context;
    private readonly ConfigMapping _mapping;

    public SectionReader(BindingContext context, ConfigMapping mapping, string path, string[] knownKeys)
    {
        _context = context;
        _mapping = mapping;
        Path = path;
        foreach (var (key, _) in mapping.Entries)
        {
            if (Array.IndexOf(knownKeys, key.Value) < 0)
            {
                ReportUnknown(key, knownKeys);
            }
        }
    }

    /// <summary>The dotted path of this section ("" for the root), used as the prefix of its keys.</summary>
    public string Path { get; }

    public ConfigNode Node => _mapping;

    /// <summary>The full dotted path of <paramref name="key"/> in this section.</summary>
    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>The value of <paramref name="key"/>, or null when absent or null; a present value marks the key as set.</summary>
    public ConfigNode? Get(string key)
    {
        foreach (var (entryKey, value) in _mapping.Entries)
        {
            if (string.Equals(entryKey.Value, key, StringComparison.Ordinal))
            {
                if (value is ConfigScalar { IsNull: true })
                {
                    return null;
                }

                _context.ExplicitKeys.Add(KeyPath(key));
                return value;
            }
        }

        return null;
    }

    private void ReportUnknown(ConfigScalar key, string[] knownKeys)
    {
        var where = Path.Length == 0 ? "" : " in " + Path;
        var suggestion = KeySuggester.Suggest(key.Value, knownKeys);
        var hint = suggestion is null
            ? "; expected one of: " + string.Join(", ", knownKeys)
            : $"; did you mean '{suggestion}'?";
        _context.Error(key, $"unknown key '{key.Value}'{where}{hint}");
    }
}
