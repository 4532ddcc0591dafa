using Filter.Engine.AuthResults;

namespace Filter.Host.Glue;

/// <summary>
/// Everything the milter must do for one message at end of message, in engine terms: the results
/// (for the log, the metrics and our header), our Authentication-Results value, which existing
/// headers to delete (forged Authentication-Results, incoming copies of the tag header), an
/// optional tag header to add, and the verdict.
/// </summary>
/// <param name="Results">Every method's result, in header order.</param>
/// <param name="AuthenticationResultsValue">The value of our Authentication-Results header (authserv-id first, folded with CRLF+WSP as the formatter writes it).</param>
/// <param name="Deletions">Headers to delete: the name and its 1-based occurrence among headers of that name, as received (milter reference §8.3).</param>
/// <param name="Tag">The tag header to add (name, value), or null.</param>
/// <param name="Verdict">The decision.</param>
internal sealed record MessageCheckOutcome(
    IReadOnlyList<MethodResult> Results,
    string AuthenticationResultsValue,
    IReadOnlyList<HeaderOccurrence> Deletions,
    HeaderOccurrenceValue? Tag,
    MessageVerdict Verdict);
