using Filter.Engine.Dmarc;

namespace Filter.Engine.Policy;

/// <summary>DMARC evaluation settings.</summary>
public sealed record DmarcSettings
{
    /// <summary>Which specification decides the organizational domain. Default <see cref="DmarcMode.Rfc9989"/>.</summary>
    public DmarcMode Mode { get; init; } = DmarcMode.Rfc9989;

    /// <summary>
    /// Absolute path of the public suffix list file (public_suffix_list.dat). Required in
    /// <see cref="DmarcMode.Rfc7489"/> mode, unused in <see cref="DmarcMode.Rfc9989"/> mode. Default: none.
    /// </summary>
    public string? PublicSuffixListPath { get; init; }

    /// <summary>What a message with several author domains does. Default <see cref="MultipleFromHandling.Reject"/>.</summary>
    public MultipleFromHandling MultipleFrom { get; init; } = MultipleFromHandling.Reject;
}
