namespace Filter.Engine.Dmarc;

/// <summary>The outcome of parsing one TXT record: never an exception, always a reason.</summary>
/// <param name="Status">Whether the text is a usable record, no DMARC record, or a record that disables DMARC.</param>
/// <param name="Record">The record for <see cref="DmarcRecordParseStatus.Record"/> and
/// <see cref="DmarcRecordParseStatus.NoDmarcProcessing"/>; null for <see cref="DmarcRecordParseStatus.NotDmarc"/>.</param>
/// <param name="Reason">Why, for a human.</param>
public sealed record DmarcRecordParseResult(DmarcRecordParseStatus Status, DmarcRecord? Record, string Reason);
