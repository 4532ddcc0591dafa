namespace Filter.Engine.Dns;

/// <summary>
/// The state one <see cref="ZoneFileReader"/> call shares across the files it reads: the zone being
/// filled, the errors, the options and the CNAME owners checked at the end.
/// </summary>
internal sealed class ZoneFileReadContext(ZoneFileReaderOptions options)
{
    private readonly Dictionary<string, ZoneFileError> _cnameOwners = new(StringComparer.OrdinalIgnoreCase);

    public DnsZone Zone { get; } = new();

    public ZoneFileReaderOptions Options { get; } = options;

    public ZoneFileErrorSink Errors { get; } = new(Math.Max(1, options.MaxErrors));

    /// <summary>Notes a CNAME owner; false when it already has one (RFC 2181 §10.1: one CNAME per name).</summary>
    public bool AddCnameOwner(string owner, ZoneFileError where) => _cnameOwners.TryAdd(owner, where);

    /// <summary>
    /// Reads a file's bytes, or reports why not at <paramref name="where"/> (line 0 for a top-level file).
    /// </summary>
    public byte[]? TryReadFile(string path, ZoneFileError where)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                Errors.Add(where with { Message = $"cannot read '{path}': the file does not exist" });
                return null;
            }

            if (info.Length > Options.MaxFileBytes)
            {
                Errors.Add(where with { Message = $"cannot read '{path}': {info.Length} bytes is over the limit of {Options.MaxFileBytes}" });
                return null;
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Errors.Add(where with { Message = $"cannot read '{path}': {exception.Message}" });
            return null;
        }
    }

    /// <summary>
    /// RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME owner has no other data. Checked once everything is
    /// read, since the records may come in any order. Only the types the zone keeps are seen.
    /// </summary>
    public void CheckCnameOwners()
    {
        foreach (var (owner, where) in _cnameOwners)
        {
            if (!Zone.TryGetNode(owner, out var node))
            {
                continue;
            }

            var others = node.A.Count + node.Aaaa.Count + node.Mx.Count + node.Txt.Count + node.Ptr.Count;
            if (others > 0)
            {
                Errors.Add(where with { Message = $"'{owner}' has a CNAME and other records: a CNAME owner has no other data (RFC 1034 §3.6.2)" });
            }
        }
    }
}
