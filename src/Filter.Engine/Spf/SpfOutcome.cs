namespace Filter.Engine.Spf;

/// <summary>
/// What one check_host() level produced, before the top level turns it into an <see cref="SpfResult"/>.
/// For a fail it remembers the record (and its domain) whose exp= explains it: redirect passes that
/// on, include never does (RFC 7208 §6.2).
/// </summary>
internal readonly record struct SpfOutcome(
    SpfResultCode Code,
    string? Mechanism,
    string Reason,
    SpfRecord? ExplainingRecord = null,
    string? ExplainingDomain = null)
{
    public static SpfOutcome Error(SpfResultCode code, string reason) => new(code, null, reason);
}
