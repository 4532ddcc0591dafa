namespace Filter.Engine.Dns;

/// <summary>One question a <see cref="RecordingDnsResolver"/> saw and the answer it got.</summary>
/// <param name="Name">The queried name, lower-cased, without the trailing dot.</param>
/// <param name="Type">The queried type.</param>
/// <param name="Status">How the query ended.</param>
/// <param name="Records">The records (strings, addresses or <see cref="MxRecord"/>), empty unless answered.</param>
/// <param name="TimeToLive">The TTL the source gave, or null.</param>
public sealed record RecordedQuestion(string Name, DnsRecordType Type, DnsResponseStatus Status, IReadOnlyList<object> Records, TimeSpan? TimeToLive)
{
    /// <summary>The failure's text as the source gave it (timeouts and server failures), or null.</summary>
    public string? Detail { get; init; }
}
