namespace Filter.Engine.Dns;

/// <summary>
/// What <see cref="ZoneFileReader.Read"/> and <see cref="ZoneFileReader.ReadFile"/> give back: the
/// zone with every record that was read correctly, and every error. A zone with errors is
/// incomplete (the faulty entries are left out), so callers that serve DNS from it should refuse it
/// unless <see cref="Succeeded"/>.
/// </summary>
public sealed record ZoneFileReadResult(DnsZone Zone, IReadOnlyList<ZoneFileError> Errors)
{
    /// <summary>True when the file had no errors at all.</summary>
    public bool Succeeded => Errors.Count == 0;
}
