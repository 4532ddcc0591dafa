namespace Filter.Host.Configuration;

/// <summary>A mapping as written, keys in file order. Duplicate keys were reported by the reader and dropped.</summary>
internal sealed class ConfigMapping(int line, int column, IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> entries)
    : ConfigNode(line, column)
{
    public IReadOnlyList<KeyValuePair<ConfigScalar, ConfigNode>> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
