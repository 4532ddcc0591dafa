namespace Filter.Engine.AuthResults;

/// <summary>Whose results an existing Authentication-Results header claims to carry.</summary>
internal enum AuthResultsClaim
{
    /// <summary>
    /// It names our authserv-id (or an alias), whether or not the rest parses: forged or stale,
    /// it must be removed before ours is added (RFC 8601 §5, §7.2; the CVE-2020-12272 class).
    /// </summary>
    Ours,

    /// <summary>It names a configured trusted authserv-id: kept, and readable as input.</summary>
    Trusted,

    /// <summary>It names some other authserv-id: kept and ignored (RFC 8601 §5).</summary>
    Foreign,

    /// <summary>No authserv-id can be found at its start (empty, garbage, Microsoft's id-less style): kept and ignored.</summary>
    NoAuthServId,
}
