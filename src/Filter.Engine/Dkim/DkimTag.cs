namespace Filter.Engine.Dkim;

/// <summary>
/// One tag=value pair of a DKIM tag-list (RFC 6376 §3.2). <see cref="Value"/> has the surrounding
/// whitespace removed but keeps inner FWS; <see cref="ValueStart"/> and <see cref="ValueEnd"/> locate
/// the text between '=' and the next ';' (or the end) in the parsed string, which is what b= emptying
/// removes (RFC 6376 §3.7).
/// </summary>
internal readonly record struct DkimTag(string Name, string Value, int ValueStart, int ValueEnd);
