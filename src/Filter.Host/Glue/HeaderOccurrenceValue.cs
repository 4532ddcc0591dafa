namespace Filter.Host.Glue;

/// <summary>A header to add: its name and value (without leading space).</summary>
internal sealed record HeaderOccurrenceValue(string Name, string Value);
