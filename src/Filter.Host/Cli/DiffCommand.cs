using System.CommandLine;
using System.Text;
using Filter.Host.Replay;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter diff DIR --policy OLD --policy NEW</c>: replays a corpus under two policies and lists
/// each message whose verdict differs (old -> new) with counts, what an admin runs before deploying
/// a policy edit. Expectations in the manifest are not checked. Exit 0, or 2 on bad input.
/// </summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "The corpus folder (manifest.yaml, messages, zone files)." };
        var policies = new Option<string[]>("--policy")
        {
            Description = "The old and the new policy file, in that order.",
            Required = true,
        };
        var command = new Command("diff", "Show which messages of a corpus change verdict between two policy files.") { directory, policies };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var files = parseResult.GetValue(policies) ?? [];
            if (files.Length != 2)
            {
                await error.WriteLineAsync("--policy: give exactly two files, the old and the new policy").ConfigureAwait(false);
                return 2;
            }

            var dir = parseResult.GetValue(directory)!;
            var old = await ReplayCommand.PrepareAsync(dir, files[0], error).ConfigureAwait(false);
            var updated = old is null ? null : await ReplayCommand.PrepareAsync(dir, files[1], error).ConfigureAwait(false);
            if (old is null || updated is null)
            {
                return 2;
            }

            var before = await CorpusRunner.RunAsync(old, null, cancellationToken).ConfigureAwait(false);
            var after = await CorpusRunner.RunAsync(updated, null, cancellationToken).ConfigureAwait(false);
            var text = new StringBuilder();
            var transitions = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < before.Count; i++)
            {
                var from = before[i].Outcome.Verdict.Word;
                var to = after[i].Outcome.Verdict.Word;
                if (from == to)
                {
                    continue;
                }

                text.Append(before[i].Entry.Name).Append(": ").Append(from).Append(" -> ").Append(to)
                    .Append(" (").Append(after[i].Outcome.Verdict.Reason).Append(")\n");
                var key = from + " -> " + to;
                transitions[key] = transitions.GetValueOrDefault(key) + 1;
            }

            var changed = 0;
            foreach (var (transition, count) in transitions)
            {
                text.Append(count).Append(' ').Append(transition).Append('\n');
                changed += count;
            }

            text.Append(changed).Append(" of ").Append(before.Count).Append(" messages change verdict\n");
            await output.WriteAsync(text.ToString()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
