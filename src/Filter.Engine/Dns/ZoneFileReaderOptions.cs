namespace Filter.Engine.Dns;

/// <summary>Settings and limits of <see cref="ZoneFileReader"/>. The defaults suit test and sample zones.</summary>
public sealed record ZoneFileReaderOptions
{
    /// <summary>The options used when none are given.</summary>
    public static ZoneFileReaderOptions Default { get; } = new();

    /// <summary>
    /// The origin before the first <c>$ORIGIN</c> (RFC 1035 §5.1), absolute, with or without the
    /// trailing dot. Null: relative names and <c>@</c> are errors until a <c>$ORIGIN</c> appears.
    /// </summary>
    public string? Origin { get; init; }

    /// <summary>The name errors carry for text read from memory.</summary>
    public string FileName { get; init; } = "<text>";

    /// <summary>
    /// Where a relative <c>$INCLUDE</c> path in text read from memory is looked up; null means the
    /// current directory. Inside a file, includes are relative to that file's folder.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>How deep <c>$INCLUDE</c> may nest; deeper (an include loop, usually) is an error.</summary>
    public int MaxIncludeDepth { get; init; } = 8;

    /// <summary>Reading stops after this many errors, with one more error saying so.</summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>A file larger than this is not read (an error instead).</summary>
    public long MaxFileBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The TTL of records that state none when no <c>$TTL</c> (RFC 2308 §4) and no earlier explicit
    /// TTL (RFC 1035 §5.1) applies.
    /// </summary>
    public uint DefaultTtl { get; init; } = 3600;
}
