namespace Filter.Engine.Spf;

/// <summary>
/// Limits and local settings of <see cref="SpfEvaluator"/>. The defaults are the RFC 7208 values
/// (§4.6.4); they can be lowered or raised per installation, never switched off.
/// </summary>
public sealed record SpfOptions
{
    /// <summary>Mechanisms and modifiers that query DNS, per check (§4.6.4: 10).</summary>
    public int MaxDnsTerms { get; init; } = 10;

    /// <summary>Terms whose lookup returns NODATA or NXDOMAIN, per check (§4.6.4: 2).</summary>
    public int MaxVoidLookups { get; init; } = 2;

    /// <summary>MX names looked at by one mx mechanism; more gives permerror (§4.6.4: 10).</summary>
    public int MaxMxNames { get; init; } = 10;

    /// <summary>PTR names looked at by one ptr mechanism or %{p}; the rest are ignored (§4.6.4: 10).</summary>
    public int MaxPtrNames { get; init; } = 10;

    /// <summary>
    /// Elapsed time after which a check gives temperror (§4.6.4: at least 20 seconds). Checked
    /// before each DNS query; one query's own timeout belongs to the resolver.
    /// </summary>
    public TimeSpan EvaluationTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The explanation for a fail when the record has no usable exp= (§6.2), a macro-string that
    /// may use every macro letter.
    /// </summary>
    public string DefaultExplanation { get; init; } = "%{i} is not one of %{d}'s designated mail servers.";

    /// <summary>This receiver's host name: the "r" macro (§7.3) and the Received-SPF receiver.</summary>
    public string ReceiverName { get; init; } = "unknown";

    /// <summary>The clock for the "t" macro and the evaluation timeout.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
