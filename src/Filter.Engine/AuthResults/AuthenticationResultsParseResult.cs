using System.Diagnostics.CodeAnalysis;

namespace Filter.Engine.AuthResults;

/// <summary>
/// What <see cref="AuthenticationResultsParser"/> made of one header value: the model, or the
/// character position where parsing stopped and why. Parsing never throws on input.
/// </summary>
internal sealed class AuthenticationResultsParseResult
{
    private AuthenticationResultsParseResult(AuthenticationResults? header, int position, string? error, AuthResultsDeviations deviations)
    {
        Header = header;
        ErrorPosition = position;
        Error = error;
        Deviations = deviations;
    }

    /// <summary>The parsed header; null on failure.</summary>
    public AuthenticationResults? Header { get; }

    /// <summary>True when <see cref="Header"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Header))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Header is not null;

    /// <summary>Index into the header value where parsing failed; -1 on success.</summary>
    public int ErrorPosition { get; }

    /// <summary>Why parsing failed, for a human ("expected '=' after method"); null on success.</summary>
    public string? Error { get; }

    /// <summary>Tolerated departures from the grammar (success only).</summary>
    public AuthResultsDeviations Deviations { get; }

    public static AuthenticationResultsParseResult Success(AuthenticationResults header, AuthResultsDeviations deviations) =>
        new(header, -1, null, deviations);

    public static AuthenticationResultsParseResult Failure(int position, string error) =>
        new(null, position, error, AuthResultsDeviations.None);

    public override string ToString() => IsSuccess ? $"ok: {Header}" : $"error at {ErrorPosition}: {Error}";
}
