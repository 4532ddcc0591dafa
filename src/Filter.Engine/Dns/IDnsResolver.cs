using System.Net;

namespace Filter.Engine.Dns;

/// <summary>
/// The only way the engine reaches DNS. Implementations: LiveDnsResolver (DnsClient.NET,
/// TTL cache), <see cref="ZoneResolver"/> (zone data, for tests, samples and replay), and
/// decorators (recording, limits).
/// </summary>
/// <remarks>
/// Names are given without a trailing dot and compared case-insensitively. Every method returns a
/// value for every outcome, including timeouts and server failures; none throws for DNS trouble.
/// CNAMEs are followed by the resolver, as a recursive resolver does.
/// </remarks>
public interface IDnsResolver
{
    /// <summary>
    /// TXT records of <paramref name="name"/>. Each record's character-strings are joined with no
    /// separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2); a record with no strings is the empty string.
    /// Bytes are read as UTF-8 (invalid sequences become U+FFFD), so a record that is not ASCII
    /// stays recognisable as such.
    /// </summary>
    ValueTask<DnsResponse<string>> QueryTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>A records of <paramref name="name"/>.</summary>
    ValueTask<DnsResponse<IPAddress>> QueryAAsync(string name, CancellationToken cancellationToken);

    /// <summary>AAAA records of <paramref name="name"/>.</summary>
    ValueTask<DnsResponse<IPAddress>> QueryAaaaAsync(string name, CancellationToken cancellationToken);

    /// <summary>MX records of <paramref name="name"/>, in the order the server gave them.</summary>
    ValueTask<DnsResponse<MxRecord>> QueryMxAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// PTR records of <paramref name="name"/>, a reverse name such as <c>4.3.2.1.in-addr.arpa</c>
    /// (see <see cref="ReverseName"/>). Targets are returned without the trailing dot.
    /// </summary>
    ValueTask<DnsResponse<string>> QueryPtrAsync(string name, CancellationToken cancellationToken);
}
