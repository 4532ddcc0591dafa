namespace Filter.Host.Configuration;

/// <summary>
/// A node of the policy file as written, with the 1-based line and column where it starts, so every
/// diagnostic can point at the exact spot. The loader reads YAML into these and binds them to the
/// engine's policy model; the engine never sees them.
/// </summary>
internal abstract class ConfigNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>How a diagnostic names this kind of node: "a mapping", "a list", "a string"...</summary>
    public abstract string Describe();
}
