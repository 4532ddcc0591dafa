namespace Filter.Engine.AuthResults;

/// <summary>
/// Departures from the RFC 8601 §2.2 grammar that the parser tolerates because big receivers
/// write them, so that their headers still parse without loss. A header with no flag set is
/// strictly conforming.
/// </summary>
[Flags]
internal enum AuthResultsDeviations
{
    None = 0,

    /// <summary>No authserv-id: the header starts with a method (Microsoft Exchange Online).</summary>
    MissingAuthServId = 1,

    /// <summary>A ';' with nothing after it at the end (Yahoo, OpenDKIM in some versions).</summary>
    TrailingSemicolon = 2,

    /// <summary>A bare <c>name=value</c> where a propspec belongs (Microsoft's action=, reason= after properties).</summary>
    UnqualifiedProperty = 4,

    /// <summary>An unquoted value holding tspecials that RFC 2045 requires quoted ("header.b=ab/cd+ef").</summary>
    UnquotedSpecials = 8,

    /// <summary>No CFWS where the grammar wants one (after a quoted value, or between id and version).</summary>
    MissingWhitespace = 16,
}
