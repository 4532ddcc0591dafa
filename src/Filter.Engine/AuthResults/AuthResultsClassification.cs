namespace Filter.Engine.AuthResults;

/// <summary>
/// The verdict of <see cref="AuthenticationResultsOwnership.Classify(ReadOnlySpan{char})"/> on one
/// existing header value.
/// </summary>
/// <param name="Claim">Whose results the header claims to carry.</param>
/// <param name="AuthServId">The authserv-id as found (null when none could be found).</param>
/// <param name="Reason">Why, for the log: "names our authserv-id inside a comment-split token"...</param>
internal sealed record AuthResultsClassification(AuthResultsClaim Claim, string? AuthServId, string Reason)
{
    /// <summary>True when the pipeline must delete this header before adding ours.</summary>
    public bool MustRemove => Claim == AuthResultsClaim.Ours;
}
