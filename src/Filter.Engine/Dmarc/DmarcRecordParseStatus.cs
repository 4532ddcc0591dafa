namespace Filter.Engine.Dmarc;

/// <summary>How a TXT record at a <c>_dmarc</c> name is to be used.</summary>
public enum DmarcRecordParseStatus
{
    /// <summary>A usable DMARC Policy Record.</summary>
    Record,

    /// <summary>
    /// Not a DMARC record (v=DMARC1 not first, not exact, absent): discarded during discovery as if it
    /// were not there (RFC 9989 §4.7 v, §4.10 step 2).
    /// </summary>
    NotDmarc,

    /// <summary>
    /// A DMARC record without a valid p, or with an invalid sp (or np, RFC 9989), and no valid rua:
    /// "the Mail Receiver applies no DMARC processing" (RFC 9989 §4.10.1, RFC 7489 §6.6.3 step 6.2).
    /// It still counts as a DMARC record during the Tree Walk.
    /// </summary>
    NoDmarcProcessing,
}
