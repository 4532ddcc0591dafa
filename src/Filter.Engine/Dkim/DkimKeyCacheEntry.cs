namespace Filter.Engine.Dkim;

/// <summary>
/// One TXT key record text, read once: the parsed record or why it is unusable, and for a parsed record
/// the imported key or why p= is not a key of its type. Both reasons are kept apart so the verifier
/// reports them at the same point in its checks as without the cache.
/// </summary>
internal sealed class DkimKeyCacheEntry
{
    private DkimKeyCacheEntry(DkimKeyRecord? record, string? recordError, DkimPublicKey? key, string? keyError)
    {
        Record = record;
        RecordError = recordError;
        Key = key;
        KeyError = keyError;
    }

    /// <summary>The record, or null when the text is not a usable key record (<see cref="RecordError"/>).</summary>
    public DkimKeyRecord? Record { get; }

    public string? RecordError { get; }

    /// <summary>The imported key of <see cref="Record"/>, or null (<see cref="KeyError"/>).</summary>
    public DkimPublicKey? Key { get; }

    public string? KeyError { get; }

    public static DkimKeyCacheEntry Create(string text)
    {
        if (!DkimKeyRecordParser.TryParse(text, out var record, out var recordError))
        {
            return new DkimKeyCacheEntry(null, recordError, null, null);
        }

        return DkimPublicKey.TryCreate(record!.KeyType, record.PublicKey, out var key, out var keyError)
            ? new DkimKeyCacheEntry(record, null, key, null)
            : new DkimKeyCacheEntry(record, null, null, keyError);
    }
}
