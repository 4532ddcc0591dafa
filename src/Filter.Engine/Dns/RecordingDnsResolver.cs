using System.Globalization;
using System.Net;
using System.Text;

namespace Filter.Engine.Dns;

/// <summary>
/// A decorator over <see cref="IDnsResolver"/> that records every question one message asked and the
/// answer it got (status, records, TTL), and writes them as an RFC 1035 master file that
/// <see cref="ZoneFileReader"/> reads back into a zone answering every recorded question the same way
/// (issue 6 item 6: a recorded message replays with the DNS it saw).
/// </summary>
/// <remarks>
/// One instance per message: it keeps the first answer to each question (name, type), so a question
/// asked twice replays as first answered. Thread-safe. The written file hides everything specific to
/// authfilter in comments, so Knot or BIND can load it too: answers are records; NXDOMAIN is absence;
/// NODATA is an owner with an <c>HINFO</c> record, which the reader checks and skips (the name then
/// exists and other types answer NODATA, RFC 8020); timeouts and server failures are the
/// <c>; authfilter: timeout|servfail NAME TYPE detail: TEXT</c> directives, the text being the failure's
/// text as the live resolver gave it, so that reasons quoting it replay word for word. A recording that contradicts itself
/// (NXDOMAIN for a name that answered another type, or for an ancestor of an answered name) cannot be
/// expressed by one consistent tree; the answers win and the file says so in a comment.
/// </remarks>
public sealed class RecordingDnsResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly IDnsResolver _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private readonly Lock _lock = new();
    private readonly List<RecordedQuestion> _questions = [];
    private readonly HashSet<(string Name, DnsRecordType Type)> _seen = [];

    /// <summary>The recorded questions, in the order they were first asked.</summary>
    public IReadOnlyList<RecordedQuestion> Questions
    {
        get
        {
            lock (_lock)
            {
                return _questions.ToArray();
            }
        }
    }

    public async ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _inner.QueryTxtAsync(name, cancellationToken).ConfigureAwait(false);
        Record(name, DnsRecordType.Txt, response.Status, response.Records, response.TimeToLive, response.Detail);
        return response;
    }

    public async ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _inner.QueryAAsync(name, cancellationToken).ConfigureAwait(false);
        Record(name, DnsRecordType.A, response.Status, response.Records, response.TimeToLive, response.Detail);
        return response;
    }

    public async ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _inner.QueryAaaaAsync(name, cancellationToken).ConfigureAwait(false);
        Record(name, DnsRecordType.Aaaa, response.Status, response.Records, response.TimeToLive, response.Detail);
        return response;
    }

    public async ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _inner.QueryMxAsync(name, cancellationToken).ConfigureAwait(false);
        Record(name, DnsRecordType.Mx, response.Status, response.Records, response.TimeToLive, response.Detail);
        return response;
    }

    public async ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _inner.QueryPtrAsync(name, cancellationToken).ConfigureAwait(false);
        Record(name, DnsRecordType.Ptr, response.Status, response.Records, response.TimeToLive, response.Detail);
        return response;
    }

    /// <summary>Writes the recording as master-file text (absolute owner names, one TTL per record).</summary>
    public string ToZoneFile()
    {
        var questions = Questions;
        var answered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var question in questions)
        {
            // Every name written as an owner exists, and so do its ancestors (RFC 8020).
            if (question.Status is DnsResponseStatus.Answer or DnsResponseStatus.NoData)
            {
                answered.Add(question.Name);
            }
        }

        var text = new StringBuilder();
        text.Append("; DNS recorded by authfilter for one message; replay with `authfilter replay`.\n");
        foreach (var question in questions)
        {
            var owner = OwnerName(question.Name);
            var ttl = question.TimeToLive is { } span ? ((uint)Math.Max(0, span.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + " " : string.Empty;
            switch (question.Status)
            {
                case DnsResponseStatus.Answer when question.Records.Count > 0:
                    foreach (var record in question.Records)
                    {
                        text.Append(owner).Append(' ').Append(ttl).Append("IN ").Append(TypeWord(question.Type)).Append(' ');
                        AppendData(text, question.Type, record);
                        text.Append('\n');
                    }

                    break;
                case DnsResponseStatus.Answer or DnsResponseStatus.NoData:
                    // The name exists without the asked type: an owner of a type the engine never asks for.
                    text.Append(owner).Append(' ').Append(ttl).Append("IN HINFO \"authfilter\" \"nodata ")
                        .Append(TypeWord(question.Type)).Append("\"\n");
                    break;
                case DnsResponseStatus.NxDomain:
                    text.Append("; NXDOMAIN ").Append(owner).Append(' ').Append(TypeWord(question.Type));
                    text.Append(IsContradicted(question.Name, answered) ? " (contradicted: the name or a name below it exists; replays as NODATA)\n" : "\n");
                    break;
                case DnsResponseStatus.Timeout:
                    text.Append("; authfilter: timeout ").Append(owner).Append(' ').Append(TypeWord(question.Type));
                    AppendDetail(text, question.Detail);
                    break;
                case DnsResponseStatus.ServerFailure:
                    text.Append("; authfilter: servfail ").Append(owner).Append(' ').Append(TypeWord(question.Type));
                    AppendDetail(text, question.Detail);
                    break;
            }
        }

        return text.ToString();
    }

    private void Record<T>(string name, DnsRecordType type, DnsResponseStatus status, IReadOnlyList<T> records, TimeSpan? ttl, string? detail)
    {
        var key = (DnsZone.Normalize(name), type);
        var copy = new object[records.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = records[i]!;
        }

        lock (_lock)
        {
            if (_seen.Add(key))
            {
                _questions.Add(new RecordedQuestion(key.Item1, type, status, copy, ttl) { Detail = detail });
            }
        }
    }

    // The failure's words after the type, on one line, so reasons built from them replay exactly.
    private static void AppendDetail(StringBuilder text, string? detail)
    {
        if (!string.IsNullOrWhiteSpace(detail))
        {
            text.Append(" detail: ").Append(detail.ReplaceLineEndings(" ").Trim());
        }

        text.Append('\n');
    }

    private static bool IsContradicted(string name, HashSet<string> answered)
    {
        foreach (var other in answered)
        {
            if (string.Equals(other, name, StringComparison.OrdinalIgnoreCase)
                || other.EndsWith("." + name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string TypeWord(DnsRecordType type) => type switch
    {
        DnsRecordType.A => "A",
        DnsRecordType.Aaaa => "AAAA",
        DnsRecordType.Mx => "MX",
        DnsRecordType.Txt => "TXT",
        DnsRecordType.Ptr => "PTR",
        _ => "CNAME",
    };

    private static void AppendData(StringBuilder text, DnsRecordType type, object record)
    {
        switch (record)
        {
            case IPAddress address:
                text.Append(address.ToString());
                break;
            case MxRecord mx:
                text.Append(mx.Preference.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(OwnerName(mx.Exchange));
                break;
            case string value when type == DnsRecordType.Txt:
                AppendTxt(text, value);
                break;
            case string target:
                text.Append(OwnerName(target));
                break;
        }
    }

    /// <summary>
    /// The joined TXT text as character-strings of at most 255 octets (RFC 1035 §3.3.14), every octet
    /// outside printable ASCII, and '"', '\\' and ';', written \DDD (RFC 1035 §5.1) so Knot loads it.
    /// </summary>
    private static void AppendTxt(StringBuilder text, string value)
    {
        var octets = Encoding.UTF8.GetBytes(value);
        if (octets.Length == 0)
        {
            text.Append("\"\"");
            return;
        }

        for (var start = 0; start < octets.Length; start += 255)
        {
            if (start > 0)
            {
                text.Append(' ');
            }

            text.Append('"');
            var end = Math.Min(octets.Length, start + 255);
            for (var i = start; i < end; i++)
            {
                AppendOctet(text, octets[i]);
            }

            text.Append('"');
        }
    }

    /// <summary>An absolute owner name; octets other than letters, digits, '-', '_', '*' and the label dots as \DDD.</summary>
    internal static string OwnerName(string name)
    {
        if (name.Length == 0)
        {
            return ".";
        }

        var text = new StringBuilder(name.Length + 1);
        foreach (var octet in Encoding.UTF8.GetBytes(name))
        {
            if (octet is (byte)'.' or (byte)'-' or (byte)'_' or (byte)'*' || char.IsAsciiLetterOrDigit((char)octet))
            {
                text.Append((char)octet);
            }
            else
            {
                text.Append('\\').Append(octet.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return text.Append('.').ToString();
    }

    private static void AppendOctet(StringBuilder text, byte octet)
    {
        if (octet is < 0x20 or > 0x7E or (byte)'"' or (byte)'\\' or (byte)';')
        {
            text.Append('\\').Append(octet.ToString("D3", CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append((char)octet);
        }
    }
}
