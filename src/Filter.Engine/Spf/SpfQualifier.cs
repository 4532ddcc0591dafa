namespace Filter.Engine.Spf;

/// <summary>The qualifier in front of a mechanism (RFC 7208 §4.6.2); it is the result when the mechanism matches.</summary>
internal enum SpfQualifier
{
    /// <summary><c>+</c>, also the default when no qualifier is written.</summary>
    Pass,

    /// <summary><c>-</c>.</summary>
    Fail,

    /// <summary><c>~</c>.</summary>
    SoftFail,

    /// <summary><c>?</c>.</summary>
    Neutral,
}
