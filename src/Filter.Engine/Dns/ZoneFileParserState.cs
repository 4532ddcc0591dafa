namespace Filter.Engine.Dns;

/// <summary>What a master file starts with: the origin, the <c>$TTL</c> and the previous owner.</summary>
internal sealed record ZoneFileParserState(string? Origin, uint? Ttl, string? PreviousOwner);
