using System.CommandLine;
using Filter.Host.Bench;
using Filter.Milter.Server;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter bench</c>: loads any milter with a corpus (throughput and latency), or with the
/// memory loads (<c>--idle-connections</c>, <c>--large-message-mb</c>). Exit 0 when every message
/// got a verdict, 1 on errors, 2 on bad arguments.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "The milter: inet:127.0.0.1:PORT or unix:/path.", Required = true };
        var corpus = new Option<string?>("--corpus") { Description = "Folder of .eml files (optional manifest.tsv: FILE<TAB>MAIL-FROM<TAB>RCPT...)." };
        var connections = new Option<int>("--connections") { Description = "Concurrent milter connections.", DefaultValueFactory = _ => 1 };
        var messages = new Option<int>("--messages") { Description = "Messages in the measured run, over all connections.", DefaultValueFactory = _ => 1000 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured messages sent first.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var pid = new Option<int?>("--pid") { Description = "The target's process id: report its CPU ms per message and its RSS (from /proc)." };
        var idle = new Option<int?>("--idle-connections") { Description = "Memory mode: hold this many idle sessions open instead of sending mail." };
        var hold = new Option<double>("--hold") { Description = "Seconds to hold idle sessions open.", DefaultValueFactory = _ => 2 };
        var large = new Option<int?>("--large-message-mb") { Description = "Memory mode: send one message with a body of this many MiB, in 64 KiB chunks." };
        var writeEach = new Option<bool>("--write-each-command")
        {
            Description = "Write every milter command at once, as Sendmail does (default: buffer the commands the milter does not answer, as Postfix does).",
        };
        var rate = new Option<double?>("--rate")
        {
            Description = "Messages per second over all connections, spread evenly (default: each connection sends back to back, the most the target can take).",
        };
        var probe = new Option<bool>("--probe") { Description = "First send the corpus's first message alone and print the milter's header edits and verdict to standard error." };

        var command = new Command("bench", "Load a milter (ours or any other) and print messages/s, end-of-message latency and errors.");
        foreach (Option option in new Option[] { target, corpus, connections, messages, warmup, json, pid, idle, hold, large, probe, writeEach, rate })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            if (!MilterSocketSpec.TryParse(parseResult.GetValue(target), out MilterSocketSpec? spec, out string? specError))
            {
                error.WriteLine($"--target: {specError}");
                return 2;
            }

            if (parseResult.GetValue(rate) is double requested && !(requested > 0 && double.IsFinite(requested)))
            {
                error.WriteLine("--rate: messages per second must be a number more than 0");
                return 2;
            }

            var options = new BenchOptions(spec!, Math.Max(1, parseResult.GetValue(connections)), Math.Max(0, parseResult.GetValue(messages)), Math.Max(0, parseResult.GetValue(warmup)))
            {
                WriteEachCommand = parseResult.GetValue(writeEach),
                Rate = parseResult.GetValue(rate),
            };
            BenchReport? report = await RunAsync(
                options, parseResult.GetValue(corpus), parseResult.GetValue(pid), parseResult.GetValue(idle),
                TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(hold))), parseResult.GetValue(large), parseResult.GetValue(probe), error, cancellationToken);
            if (report is null)
            {
                return 2;
            }

            output.Write(parseResult.GetValue(json) ? report.ToJson() + "\n" : report.ToText());
            return report.Result.Errors == 0 ? 0 : 1;
        });
        return command;
    }

    internal static async Task<BenchReport?> RunAsync(
        BenchOptions options, string? corpusFolder, int? pid, int? idleConnections, TimeSpan hold, int? largeMessageMiB,
        bool probe, TextWriter error, CancellationToken cancellationToken)
    {
        string target = options.Target.ToString();
        bool peakReset = pid is int pr && (idleConnections is not null || largeMessageMiB is not null) && ProcessStats.ResetPeak(pr);
        ProcessMemory? before = pid is int p0 ? ProcessStats.ReadMemory(p0) : null;
        double? cpuBefore = pid is int p1 ? ProcessStats.ReadCpuMilliseconds(p1) : null;
        if (pid is not null && (before is null || cpuBefore is null))
        {
            error.WriteLine($"--pid {pid}: cannot read /proc/{pid}/stat or /proc/{pid}/status");
            return null;
        }

        ProcessMemory? during = null;
        double? ownBefore = null;
        long? allocatedBefore = null;
        long? allocatedAfter = null;
        int? gen0Before = null;
        int? gen0After = null;
        BenchResult result;
        string mode;
        int connections = options.Connections;
        if (idleConnections is int count)
        {
            mode = "idle-connections";
            connections = count;
            result = await MemoryProbe.IdleConnectionsAsync(options, count, async () =>
            {
                await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
                during = pid is int p ? ProcessStats.ReadMemory(p) : null;
            }, cancellationToken).ConfigureAwait(false);

            // Let the target release what the sessions held before the "after" reading.
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
        else if (largeMessageMiB is int mib)
        {
            mode = "large-message";
            connections = 1;
            BenchCorpus big = BenchCorpus.FromMessages([MemoryProbe.LargeMessage(mib * 1024L * 1024L)]);
            result = await BenchRunner.RunAsync(big, options with { Connections = 1, Messages = 1, Warmup = 0, MessageTimeout = TimeSpan.FromMinutes(5) }, cancellationToken).ConfigureAwait(false);
            during = pid is int p ? ProcessStats.ReadMemory(p) : null;
        }
        else
        {
            if (corpusFolder is null)
            {
                error.WriteLine("--corpus is required (or --idle-connections / --large-message-mb)");
                return null;
            }

            BenchCorpusLoad load = BenchCorpus.Load(corpusFolder);
            if (load.Corpus is null)
            {
                error.WriteLine(load.Error);
                return null;
            }

            mode = "throughput";
            if (probe)
            {
                foreach (string line in await BenchProbe.DescribeAsync(options, load.Corpus.Messages[0], cancellationToken).ConfigureAwait(false))
                {
                    error.WriteLine(line);
                }

                cpuBefore = pid is int pp ? ProcessStats.ReadCpuMilliseconds(pp) : null;
            }

            if (options.Warmup > 0)
            {
                await BenchRunner.RunAsync(load.Corpus, options with { Messages = options.Warmup, Warmup = 0 }, cancellationToken).ConfigureAwait(false);
                cpuBefore = pid is int pw ? ProcessStats.ReadCpuMilliseconds(pw) : null;
            }

            // Each message encoded before the clock starts: otherwise its first send would, inside
            // the measured run (the whole run, for a corpus larger than the message count).
            await BenchRunner.PrepareAsync(load.Corpus, options, cancellationToken).ConfigureAwait(false);
            allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            gen0Before = GC.CollectionCount(0);
            ownBefore = ProcessStats.ReadCpuMilliseconds(Environment.ProcessId);
            result = await BenchRunner.RunAsync(load.Corpus, options with { Warmup = 0 }, cancellationToken).ConfigureAwait(false);
            allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
            gen0After = GC.CollectionCount(0);
        }

        double? cpuAfter = pid is int p2 ? ProcessStats.ReadCpuMilliseconds(p2) : null;
        double? ownAfter = ownBefore is null ? null : ProcessStats.ReadCpuMilliseconds(Environment.ProcessId);
        ProcessMemory? after = pid is int p3 ? ProcessStats.ReadMemory(p3) : null;
        return new BenchReport(mode, target, connections, result)
        {
            TargetCpuMilliseconds = cpuAfter - cpuBefore,
            LoadToolCpuMilliseconds = ownAfter - ownBefore,
            LoadToolAllocatedBytes = allocatedAfter - allocatedBefore,
            LoadToolGen0Collections = gen0After - gen0Before,
            Writes = options.WriteEachCommand ? "sendmail" : "postfix",
            Rate = options.Rate,
            MemoryBefore = before,
            MemoryDuring = during,
            MemoryAfter = after,
            PeakReset = peakReset,
        };
    }
}
