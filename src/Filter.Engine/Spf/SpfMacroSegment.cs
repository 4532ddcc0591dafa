namespace Filter.Engine.Spf;

/// <summary>
/// One piece of a parsed macro-string (RFC 7208 §7.1): literal text (with <c>%%</c>, <c>%_</c> and
/// <c>%-</c> already resolved) or one <c>%{...}</c> macro-expand.
/// </summary>
internal readonly struct SpfMacroSegment
{
    private SpfMacroSegment(string? literal, char letter, bool urlEscape, int rightParts, bool reverse, string? delimiters)
    {
        Literal = literal;
        Letter = letter;
        UrlEscape = urlEscape;
        RightParts = rightParts;
        Reverse = reverse;
        Delimiters = delimiters;
    }

    /// <summary>The text of a literal segment, or null for a macro.</summary>
    public string? Literal { get; }

    /// <summary>The lower-case macro letter (s l o d i p v h c r t).</summary>
    public char Letter { get; }

    /// <summary>True when the letter was written in upper case: the value is URL-escaped (§7.3).</summary>
    public bool UrlEscape { get; }

    /// <summary>How many right-hand parts to keep; 0 means all (§7.3 DIGIT transformer).</summary>
    public int RightParts { get; }

    /// <summary>The <c>r</c> transformer: reverse the parts.</summary>
    public bool Reverse { get; }

    /// <summary>The delimiters to split on, or null for the default <c>.</c>.</summary>
    public string? Delimiters { get; }

    /// <summary>True when the value needs splitting and joining (delimiters, digits or reversal).</summary>
    public bool HasTransformers => RightParts > 0 || Reverse || Delimiters is not null;

    public static SpfMacroSegment ForLiteral(string text) => new(text, '\0', false, 0, false, null);

    public static SpfMacroSegment ForMacro(char letter, bool urlEscape, int rightParts, bool reverse, string? delimiters) =>
        new(null, letter, urlEscape, rightParts, reverse, delimiters);
}
