using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Replay;
using Spectre.Console;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter replay DIR</c>: runs every message of a corpus (see <see cref="CorpusReader"/>) through the
/// daemon's pipeline with DNS from the corpus's zone files, prints a table and a summary, and fails
/// when an expectation is missed, so it drops into any CI. <c>--json</c> prints one object;
/// <c>--junit FILE</c> also writes a JUnit report. A progress bar is shown only on a terminal.
/// </summary>
/// <remarks>
/// Policy: <c>--policy</c> for every entry, else the entry's own (<c>policy:</c> in its manifest entry, as
/// recorded entries have), else the corpus's <c>policy.yaml</c>, else the defaults. A recording folder is a
/// corpus: <c>authfilter replay RECORDING_DIR</c> replays what the daemon recorded.
/// Exit codes: 0 every expectation met, 1 at least one missed, 2 bad corpus, zone or policy.
/// </remarks>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "The corpus folder (manifest.yaml, messages, zone files)." };
        var policy = new Option<string?>("--policy") { Description = "Policy file (default: the corpus's policy.yaml, else the defaults)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };
        var junit = new Option<string?>("--junit") { Description = "Also write a JUnit XML report to this file." };
        var command = new Command("replay", "Replay a corpus of messages with recorded DNS and check the expected verdicts and results.")
        {
            directory, policy, json, junit,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var prepared = await PrepareAsync(parseResult.GetValue(directory)!, parseResult.GetValue(policy), error).ConfigureAwait(false);
            if (prepared is null)
            {
                return 2;
            }

            var corpus = prepared.Corpus;
            var console = CreateConsole(output);
            IReadOnlyList<ReplayResult> results;
            if (console.Profile.Capabilities.Interactive && !parseResult.GetValue(json))
            {
                IReadOnlyList<ReplayResult>? done = null;
                await console.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("replaying", maxValue: corpus.Entries.Count);
                    done = await CorpusRunner.RunAsync(prepared, _ => task.Increment(1), cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                results = done!;
            }
            else
            {
                results = await CorpusRunner.RunAsync(prepared, null, cancellationToken).ConfigureAwait(false);
            }

            if (parseResult.GetValue(junit) is { } junitFile)
            {
                JUnitReport.Write(junitFile, Path.GetFileName(Path.GetFullPath(corpus.Directory).TrimEnd(Path.DirectorySeparatorChar)), results);
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteAsync(ToJson(results)).ConfigureAwait(false);
            }
            else
            {
                WriteTable(console, results);
            }

            foreach (var result in results)
            {
                if (!result.Passed)
                {
                    return 1;
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Reads the corpus, the policies and the zone files; reports problems and returns null on any.</summary>
    internal static async Task<ReplayPlan?> PrepareAsync(string directory, string? policyFile, TextWriter error)
    {
        var errors = new List<string>();
        var corpus = CorpusReader.Read(directory, errors);
        foreach (var line in errors)
        {
            await error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (corpus is null)
        {
            return null;
        }

        var policy = policyFile is null && corpus.PolicyFile is null
            ? FilterPolicy.Default
            : await CliPolicy.LoadAsync(policyFile ?? corpus.PolicyFile, error).ConfigureAwait(false);
        if (policy is null)
        {
            return null;
        }

        var entryPolicies = new Dictionary<string, FilterPolicy>(StringComparer.Ordinal);
        var entryResolvers = new Dictionary<CorpusEntry, IDnsResolver>(ReferenceEqualityComparer.Instance);
        var resolversByFiles = new Dictionary<string, IDnsResolver>(StringComparer.Ordinal);
        var needsShared = false;
        foreach (var entry in corpus.Entries)
        {
            if (policyFile is null && entry.PolicyFile is { } own && !entryPolicies.ContainsKey(own))
            {
                var loaded = await CliPolicy.LoadAsync(own, error).ConfigureAwait(false);
                if (loaded is null)
                {
                    return null;
                }

                entryPolicies.Add(own, loaded);
            }

            if (entry.ZoneFiles is not { } zones)
            {
                needsShared = true;
                continue;
            }

            // Read each entry's zones on their own (issue 6 item 6): they never merge with another entry's.
            var key = string.Join('\n', zones);
            if (!resolversByFiles.TryGetValue(key, out var entryResolver))
            {
                entryResolver = zones.Count == 0 ? new ZoneResolver(new DnsZone()) : await CliPolicy.ResolverAsync(zones, policy, error).ConfigureAwait(false);
                if (entryResolver is null)
                {
                    return null;
                }

                resolversByFiles.Add(key, entryResolver);
            }

            entryResolvers.Add(entry, entryResolver);
        }

        IDnsResolver? resolver;
        if (!needsShared)
        {
            // Every entry has its own DNS: the engine's shared resolver answers nothing.
            resolver = new ZoneResolver(new DnsZone());
        }
        else if (corpus.ZoneFiles.Count == 0)
        {
            await error.WriteLineAsync($"{directory}: no zone files (a replay never uses live DNS)").ConfigureAwait(false);
            return null;
        }
        else
        {
            resolver = await CliPolicy.ResolverAsync(corpus.ZoneFiles, policy, error).ConfigureAwait(false);
        }

        return resolver is null ? null : new ReplayPlan(corpus, policy, policyFile is not null, resolver, entryResolvers, entryPolicies);
    }

    /// <summary>
    /// A Spectre console over the verb's writer: colours and the progress bar only when that writer is
    /// the terminal, a wide plain table when output is redirected (CI logs, files, tests).
    /// </summary>
    internal static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<ReplayResult> results)
    {
        var table = new Table().AddColumns("message", "spf", "dkim", "dmarc", "verdict", "check");
        var failed = 0;
        foreach (var result in results)
        {
            var outcome = result.Outcome;
            failed += result.Passed ? 0 : 1;
            table.AddRow(
                Markup.Escape(result.Entry.Name),
                Markup.Escape(outcome.Spf?.ResultWord ?? "-"),
                Markup.Escape(CorpusRunner.DkimWords(outcome)),
                Markup.Escape(outcome.Dmarc is { } dmarc ? VerdictRules.Word(dmarc.Code) : "-"),
                Markup.Escape(outcome.Verdict.Word),
                result.Passed ? "[green]ok[/]" : "[red]FAIL[/] " + Markup.Escape(string.Join("; ", result.Mismatches)));
        }

        console.Write(table);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            counts[result.Outcome.Verdict.Word] = counts.GetValueOrDefault(result.Outcome.Verdict.Word) + 1;
        }

        var summary = new StringBuilder();
        summary.Append(results.Count).Append(" messages, ").Append(results.Count - failed).Append(" as expected, ").Append(failed).Append(" failed");
        foreach (var (verdict, count) in counts)
        {
            summary.Append("; ").Append(verdict).Append(' ').Append(count);
        }

        console.WriteLine(summary.ToString());
    }

    private static string ToJson(IReadOnlyList<ReplayResult> results)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var failed = 0;
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var result in results)
            {
                failed += result.Passed ? 0 : 1;
                writer.WriteStartObject();
                writer.WriteString("file", result.Entry.Name);
                writer.WriteBoolean("passed", result.Passed);
                writer.WriteStartArray("mismatches");
                foreach (var mismatch in result.Mismatches)
                {
                    writer.WriteStringValue(mismatch);
                }

                writer.WriteEndArray();
                writer.WritePropertyName("outcome");
                OutcomeJson.Write(writer, result.Outcome);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("total", results.Count);
            writer.WriteNumber("failed", failed);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
