namespace Filter.Engine.Policy;

/// <summary>
/// Recording of messages, envelopes and the DNS answers used, as replayable corpus entries
/// (issue 6 item 6). Off by default: recordings hold whole messages, i.e. personal data, so
/// turning this on is a privacy decision the admin must make. Files get mode 0600.
/// </summary>
public sealed record RecordingSettings
{
    /// <summary>Whether recording is on. Default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>Absolute directory the entries are written to; required when <see cref="Enabled"/>.</summary>
    public string? Directory { get; init; }

    /// <summary>Fraction of messages recorded, greater than 0 and at most 1. Default 1 (every message, once enabled).</summary>
    public double SampleRate { get; init; } = 1.0;
}
