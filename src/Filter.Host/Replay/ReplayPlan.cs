using Filter.Engine.Dns;
using Filter.Engine.Policy;

namespace Filter.Host.Replay;

/// <summary>
/// A corpus ready to replay: the policy and DNS for each entry, everything read and checked up front
/// (so a bad zone or policy file stops the run before the first message, exit 2).
/// </summary>
/// <param name="Corpus">The corpus.</param>
/// <param name="Policy">The policy for entries without their own (or for all, when <see cref="PolicyForced"/>).</param>
/// <param name="PolicyForced">True when <c>--policy</c> named it: it then overrides every entry's own policy.</param>
/// <param name="Resolver">DNS from the corpus's shared zones; an empty zone when every entry has its own.</param>
/// <param name="EntryResolvers">DNS from each entry's own zone files, by entry; entries not listed use <see cref="Resolver"/>.</param>
/// <param name="EntryPolicies">Each entry's own policy file, loaded, by full path.</param>
internal sealed record ReplayPlan(
    Corpus Corpus,
    FilterPolicy Policy,
    bool PolicyForced,
    IDnsResolver Resolver,
    IReadOnlyDictionary<CorpusEntry, IDnsResolver> EntryResolvers,
    IReadOnlyDictionary<string, FilterPolicy> EntryPolicies)
{
    /// <summary>The policy one entry replays under.</summary>
    public FilterPolicy PolicyFor(CorpusEntry entry) =>
        !PolicyForced && entry.PolicyFile is { } file && EntryPolicies.TryGetValue(file, out var own) ? own : Policy;

    /// <summary>The DNS one entry replays with.</summary>
    public IDnsResolver ResolverFor(CorpusEntry entry) => EntryResolvers.TryGetValue(entry, out var own) ? own : Resolver;
}
