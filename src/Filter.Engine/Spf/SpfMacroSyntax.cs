namespace Filter.Engine.Spf;

/// <summary>Where a macro-string stands, which decides the letters and characters it may hold (RFC 7208 §7.1).</summary>
internal enum SpfMacroSyntax
{
    /// <summary>A domain-spec of a mechanism, <c>redirect=</c> or <c>exp=</c>: letters s l o d i p v h, no spaces.</summary>
    DomainSpec,

    /// <summary>The value of an unknown modifier: any macro-letter of the ABNF, no spaces; never expanded.</summary>
    UnknownModifier,

    /// <summary>The explanation string fetched for <c>exp=</c>: every letter including c r t, and spaces.</summary>
    Explanation,
}
