using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Host.Replay;

/// <summary>
/// Runs every entry of a corpus through the daemon's pipeline (<see cref="MessageAuthenticationEngine"/>)
/// with DNS from the corpus's zone files, and compares each outcome with its expectations.
/// </summary>
internal static class CorpusRunner
{
    public static async Task<IReadOnlyList<ReplayResult>> RunAsync(
        Corpus corpus, FilterPolicy policy, IDnsResolver resolver, Action<ReplayResult>? progress, CancellationToken cancellationToken)
    {
        var engine = new MessageAuthenticationEngine(resolver, policy, TimeProvider.System, NullLogger.Instance);
        var results = new List<ReplayResult>(corpus.Entries.Count);
        foreach (var entry in corpus.Entries)
        {
            AuthenticationOutcome outcome;
            await using (var stream = File.OpenRead(entry.Path))
            {
                outcome = await engine.AuthenticateAsync(stream, entry.Envelope, cancellationToken).ConfigureAwait(false);
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
