namespace Filter.Engine.Dkim;

/// <summary>
/// Where one tag's value sits in the bytes of a tag-list (RFC 6376 §3.2): <see cref="ValueStart"/> to
/// <see cref="ValueEnd"/> is everything between '=' and the next ';' (or the end), which is what b=
/// emptying removes (§3.7); <see cref="First"/> to <see cref="End"/> is the value without its surrounding
/// whitespace (inner FWS kept). The default value is an absent tag.
/// </summary>
internal readonly record struct DkimTagRange(int ValueStart, int ValueEnd, int First, int End)
{
    /// <summary>A tag name and '=' come before any value, so a present tag never starts at 0.</summary>
    public bool IsPresent => ValueStart > 0;

    /// <summary>The value without surrounding whitespace.</summary>
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> text) => text[First..End];
}
