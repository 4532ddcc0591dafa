namespace Filter.Engine.Dmarc;

/// <summary>What one <c>_dmarc</c> query found, after discarding non-DMARC TXT records (RFC 9989 §4.10 step 2).</summary>
internal enum DmarcRecordSetStatus
{
    /// <summary>Exactly one DMARC record.</summary>
    Single,

    /// <summary>No DMARC record (NXDOMAIN, NODATA, or only other TXT records).</summary>
    Empty,

    /// <summary>More than one DMARC record: all are discarded (RFC 9989 §4.10 step 2, RFC 7489 §6.6.3 step 5).</summary>
    Multiple,

    /// <summary>The query timed out or the server failed.</summary>
    TempError,
}
