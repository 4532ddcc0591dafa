using System.Text;

namespace Filter.Engine.Dns;

/// <summary>
/// Reads RFC 1035 master files ("zone files") into a <see cref="DnsZone"/>, so tests, samples,
/// replays and <c>--zone</c> demos describe DNS the way admins already do. The same file loads in a
/// real DNS server (Knot, NSD, BIND): everything specific to authfilter hides in comments.
/// </summary>
/// <remarks>
/// <para><b>Syntax</b> (RFC 1035 §5.1): <c>$ORIGIN name</c> (a relative name is appended to the current
/// origin); <c>$TTL ttl</c> (RFC 2308 §4); <c>$INCLUDE file [origin]</c> (a relative path is relative
/// to the including file's folder; nesting stops at <see cref="ZoneFileReaderOptions.MaxIncludeDepth"/>;
/// the parent's origin is unchanged afterwards). Records are <c>owner [ttl] [IN] type data</c>, TTL and
/// class in either order; <c>@</c> is the origin; names without a final dot are relative to it; a
/// line that starts with a blank repeats the previous owner. Parentheses let an entry span lines;
/// <c>;</c> starts a comment; quoted strings know <c>\"</c>, <c>\\</c> and <c>\DDD</c> (a decimal octet).
/// TTLs are seconds or BIND units (<c>1h30m</c>); a record without one takes <c>$TTL</c>, else the
/// last explicit TTL (RFC 1035 §5.1), else <see cref="ZoneFileReaderOptions.DefaultTtl"/>.</para>
/// <para><b>Types kept</b>: A, AAAA, MX, TXT, PTR, CNAME. A TXT record's character-strings (quoted or
/// bare words, each at most 255 octets, RFC 1035 §3.3) are joined with no separator (RFC 7208 §3.3)
/// and their octets read as UTF-8, invalid sequences as U+FFFD, as the live resolver reads them.
/// Raw UTF-8 inside quotes is accepted (BIND accepts it too); Knot's loader wants such octets
/// written as <c>\DDD</c>, so shared files should use that form.
/// <b>Types skipped</b> after a loose check (their owner still exists, so other queries get NODATA):
/// SOA, NS, DS, CAA, SRV, DNSKEY and other well-known types, <c>TYPEnnn</c> (RFC 3597), and SPF
/// (type 99): RFC 7208 §3.1 retired it, so it is never served as TXT. Any other type is an error.</para>
/// <para><b>Failure injection</b>, so error paths are testable, as comment directives:
/// <code>
/// ; authfilter: timeout slow.example.com.        every query for the name times out
/// ; authfilter: timeout slow TXT                 only TXT queries (relative to $ORIGIN, like owners)
/// ; authfilter: servfail broken.example.com. MX  SERVFAIL for MX queries
/// ; authfilter: timeout slow TXT detail: no answer   the failure's text (recordings keep the live resolver's)
/// </code>
/// The name follows owner rules (<c>@</c>, relative, absolute) with the origin in force where the
/// comment stands; the type is A, AAAA, MX, TXT or PTR, or absent for every type. Types that have
/// records at that name still answer (<see cref="DnsZone.AddFailure(string, DnsResponseStatus, DnsRecordType?)"/>). A directive that does not
/// parse is an error, so a typo never silently disables a test.</para>
/// <para><b>Errors</b>: <see cref="Read"/> and <see cref="ReadFile"/> never throw for bad input; they
/// return every error (file, line, column, what was expected) next to the zone of the entries that
/// were correct. <see cref="Parse"/> and <see cref="LoadFile"/> throw <see cref="ZoneFileException"/>
/// instead when there is any error. Arguments that are null still throw.</para>
/// </remarks>
public static class ZoneFileReader
{
    /// <summary>Reads master-file text (named <see cref="ZoneFileReaderOptions.FileName"/> in errors).</summary>
    public static ZoneFileReadResult Read(string text, ZoneFileReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= ZoneFileReaderOptions.Default;
        var context = new ZoneFileReadContext(options);
        var directory = options.BaseDirectory ?? Directory.GetCurrentDirectory();
        Run(context, Encoding.UTF8.GetBytes(text), options.FileName, directory);
        return new ZoneFileReadResult(context.Zone, context.Errors.Errors);
    }

    /// <summary>Reads a master file; a file that cannot be read is an error at line 0.</summary>
    public static ZoneFileReadResult ReadFile(string path, ZoneFileReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= ZoneFileReaderOptions.Default;
        var context = new ZoneFileReadContext(options);
        if (context.TryReadFile(path, new ZoneFileError(path, 0, 0, "")) is { } data)
        {
            Run(context, data, path, Path.GetDirectoryName(path) ?? "");
        }

        return new ZoneFileReadResult(context.Zone, context.Errors.Errors);
    }

    /// <summary>Like <see cref="Read"/>, but throws <see cref="ZoneFileException"/> on any error.</summary>
    public static DnsZone Parse(string text, ZoneFileReaderOptions? options = null) => OrThrow(Read(text, options));

    /// <summary>Like <see cref="ReadFile"/>, but throws <see cref="ZoneFileException"/> on any error.</summary>
    public static DnsZone LoadFile(string path, ZoneFileReaderOptions? options = null) => OrThrow(ReadFile(path, options));

    private static DnsZone OrThrow(ZoneFileReadResult result) =>
        result.Succeeded ? result.Zone : throw new ZoneFileException(result.Errors);

    private static void Run(ZoneFileReadContext context, byte[] data, string file, string directory)
    {
        var state = new ZoneFileParserState(Origin(context.Options.Origin), Ttl: null, PreviousOwner: null);
        new ZoneFileParser(context, data, file, directory, depth: 0, state).Run();
        context.CheckCnameOwners();
    }

    private static string? Origin(string? origin)
    {
        if (origin is null)
        {
            return null;
        }

        if (origin is "" or ".")
        {
            return "";
        }

        // The caller's origin is absolute whether or not it ends in a dot.
        var absolute = origin.EndsWith('.') ? origin : origin + ".";
        return ZoneNameParser.TryParse(Encoding.UTF8.GetBytes(absolute), null, out var name) is { } error
            ? throw new ArgumentException($"Origin '{origin}': {error}", nameof(origin))
            : name;
    }
}
