namespace Filter.Engine.Pipeline;

/// <summary>Insert a header field at <paramref name="Index"/> (0 = the very top): the milter's INSHEADER.</summary>
/// <param name="Index">Global position; 0 is above every other field.</param>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value without leading space or final CRLF, folded with CRLF+TAB.</param>
public sealed record HeaderInsertion(int Index, string Name, string Value);
