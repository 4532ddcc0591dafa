namespace Filter.Engine.Spf;

/// <summary>
/// A syntactically valid SPF record (RFC 7208 §4.6, §12): its directives in order and the
/// <c>redirect=</c> and <c>exp=</c> modifiers. Unknown modifiers were syntax-checked and dropped (§6).
/// Immutable, so one parse serves every check that meets the same text.
/// </summary>
internal sealed class SpfRecord
{
    public required string Text { get; init; }

    public required SpfDirective[] Directives { get; init; }

    public SpfMacroString? Redirect { get; init; }

    public SpfMacroString? Explanation { get; init; }

    /// <summary>True when an "all" mechanism is present: redirect= is then ignored (§6.1).</summary>
    public bool HasAll { get; init; }
}
