namespace Filter.Host.Configuration;

/// <summary>
/// A scalar as written. <see cref="IsPlain"/> distinguishes <c>retries: 2</c> from <c>retries: "2"</c>:
/// the policy reads plain scalars by the YAML 1.2 core schema, and a quoted scalar is always a string.
/// </summary>
internal sealed class ConfigScalar(int line, int column, string value, bool isPlain) : ConfigNode(line, column)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>YAML 1.2 core schema null: an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsPlain ? "'" + Value + "'" : "the quoted string \"" + Value + "\"";
}
