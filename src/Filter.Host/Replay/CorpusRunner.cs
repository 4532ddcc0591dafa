using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Host.Replay;

/// <summary>
/// Runs every entry of a corpus through the daemon's pipeline (<see cref="MessageAuthenticationEngine"/>)
/// with DNS from the corpus's zone files (or the entry's own), and compares each outcome with its expectations.
/// One engine per policy; an entry with its own zones gets them through
/// <see cref="MessageAuthenticationEngine.StartMessage(IDnsResolver)"/>, as a recorded message did in the daemon.
/// </summary>
internal static class CorpusRunner
{
    public static async Task<IReadOnlyList<ReplayResult>> RunAsync(ReplayPlan plan, Action<ReplayResult>? progress, CancellationToken cancellationToken)
    {
        var engines = new Dictionary<FilterPolicy, MessageAuthenticationEngine>(ReferenceEqualityComparer.Instance);
        var results = new List<ReplayResult>(plan.Corpus.Entries.Count);
        foreach (var entry in plan.Corpus.Entries)
        {
            var policy = plan.PolicyFor(entry);
            if (!engines.TryGetValue(policy, out var engine))
            {
                engine = new MessageAuthenticationEngine(plan.Resolver, policy, TimeProvider.System, NullLogger.Instance);
                engines.Add(policy, engine);
            }

            AuthenticationOutcome outcome;
            await using (var stream = File.OpenRead(entry.Path))
            {
                outcome = await engine.AuthenticateAsync(stream, entry.Envelope, plan.ResolverFor(entry), cancellationToken).ConfigureAwait(false);
            }

            var result = new ReplayResult(entry, outcome, Compare(entry.Expect, outcome));
            results.Add(result);
            progress?.Invoke(result);
        }

        return results;
    }

    internal static List<string> Compare(CorpusExpectation? expect, AuthenticationOutcome outcome)
    {
        var mismatches = new List<string>();
        if (expect is null)
        {
            return mismatches;
        }

        Check(mismatches, "verdict", expect.Verdict, outcome.Verdict.Word);
        Check(mismatches, "spf", expect.Spf, outcome.Spf?.ResultWord ?? "-");
        Check(mismatches, "dmarc", expect.Dmarc, outcome.Dmarc is { } dmarc ? VerdictRules.Word(dmarc.Code) : "-");
        Check(mismatches, "reason", expect.Reason, outcome.Verdict.Reason);
        Check(mismatches, "authentication-results", expect.AuthenticationResults, outcome.AuthenticationResults);
        if (expect.Dkim is { } dkim)
        {
            var actual = DkimWords(outcome);
            if (!string.Equals(string.Join(',', dkim), actual, StringComparison.Ordinal))
            {
                mismatches.Add($"dkim: expected {string.Join(',', dkim)}, got {actual}");
            }
        }

        return mismatches;
    }

    internal static string DkimWords(AuthenticationOutcome outcome)
    {
        var words = new string[outcome.Dkim.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = OutcomeSummary.DkimWord(outcome.Dkim[i].Code);
        }

        return words.Length == 0 ? "-" : string.Join(',', words);
    }

    private static void Check(List<string> mismatches, string what, string? expected, string actual)
    {
        if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
        {
            mismatches.Add($"{what}: expected {expected}, got {actual}");
        }
    }
}
