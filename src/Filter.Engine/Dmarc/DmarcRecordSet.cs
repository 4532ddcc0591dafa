namespace Filter.Engine.Dmarc;

/// <summary>The DMARC records at one name.</summary>
/// <param name="Domain">The domain whose <c>_dmarc</c> name was queried.</param>
/// <param name="Status">What was found.</param>
/// <param name="Parsed">The single record's parse result for <see cref="DmarcRecordSetStatus.Single"/>, else null.</param>
/// <param name="Detail">DNS detail for a temporary error, else null.</param>
internal sealed record DmarcRecordSet(string Domain, DmarcRecordSetStatus Status, DmarcRecordParseResult? Parsed, string? Detail)
{
    /// <summary>The single record, for <see cref="DmarcRecordSetStatus.Single"/>.</summary>
    public DmarcRecord? Record => Parsed?.Record;
}
