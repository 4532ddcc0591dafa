namespace Filter.Engine.Dns;

/// <summary>One MX record's data (RFC 1035 §3.3.9).</summary>
/// <param name="Preference">Lower is preferred.</param>
/// <param name="Exchange">The mail exchanger's host name, without the trailing dot.</param>
public sealed record MxRecord(ushort Preference, string Exchange);
