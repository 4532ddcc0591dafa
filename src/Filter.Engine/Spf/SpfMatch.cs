namespace Filter.Engine.Spf;

/// <summary>How one mechanism came out (RFC 7208 §4.6.2, §5): matched, not matched, or an error that ends the check.</summary>
internal readonly record struct SpfMatch(SpfResultCode? Error, bool IsMatch, string? Detail)
{
    public static readonly SpfMatch Matched = new(null, true, null);

    public static readonly SpfMatch NoMatch = new(null, false, null);

    public static SpfMatch NotMatched(string detail) => new(null, false, detail);

    public static SpfMatch Temporary(string detail) => new(SpfResultCode.TempError, false, detail);

    public static SpfMatch Permanent(string detail) => new(SpfResultCode.PermError, false, detail);
}
