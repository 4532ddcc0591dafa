namespace Filter.Engine.Dmarc;

/// <summary>
/// Chance, injected (DESIGN.md): decides whether a failing message is among the pct percent the
/// policy applies to (RFC 7489 §6.6.4). Only used in <see cref="DmarcMode.Rfc7489"/>.
/// </summary>
public interface IDmarcSampler
{
    /// <summary>True when this message is selected, with probability <paramref name="percent"/>/100.</summary>
    bool IsSelected(int percent);
}
