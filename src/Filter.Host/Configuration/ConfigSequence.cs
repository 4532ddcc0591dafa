namespace Filter.Host.Configuration;

/// <summary>A sequence (list) as written.</summary>
internal sealed class ConfigSequence(int line, int column, IReadOnlyList<ConfigNode> items) : ConfigNode(line, column)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "a list";
}
