using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Filter.Host.Bench;

/// <summary>
/// A finished benchmark as it is printed: the run's tally plus, when a target PID was given, the
/// target's CPU time and memory before and after. Renders as aligned text or as one JSON object.
/// </summary>
internal sealed record BenchReport(string Mode, string Target, int Connections, BenchResult Result)
{
    /// <summary>Target CPU (utime+stime) consumed during the measured run, in ms; null without --pid.</summary>
    public double? TargetCpuMilliseconds { get; init; }

    /// <summary>
    /// The load tool's own CPU (utime+stime of this process) during the measured run, in ms; null
    /// where /proc is missing. It shares the cores with the target, so its cost bounds the throughput.
    /// </summary>
    public double? LoadToolCpuMilliseconds { get; init; }

    /// <summary>Load tool CPU per completed message, in ms.</summary>
    public double? LoadToolCpuPerMessageMilliseconds =>
        LoadToolCpuMilliseconds is double cpu && Result.Completed > 0 ? cpu / Result.Completed : null;

    /// <summary>
    /// Bytes the load tool allocated during the measured run (<see cref="GC.GetTotalAllocatedBytes(bool)"/>,
    /// all threads); null when not measured. A tool that allocates per message pauses for garbage
    /// collection, and those pauses show up in the latency it reports.
    /// </summary>
    public long? LoadToolAllocatedBytes { get; init; }

    /// <summary>Generation 0 collections in the load tool during the measured run; null when not measured.</summary>
    public int? LoadToolGen0Collections { get; init; }

    /// <summary>Load tool bytes allocated per attempted message.</summary>
    public double? LoadToolAllocatedBytesPerMessage =>
        LoadToolAllocatedBytes is long bytes && Result.Attempted > 0 ? (double)bytes / Result.Attempted : null;

    /// <summary>How the load tool wrote commands: "postfix" (unanswered ones buffered) or "sendmail" (each at once).</summary>
    public string Writes { get; init; } = "postfix";

    /// <summary>The paced rate in messages per second over all connections, or null for back to back.</summary>
    public double? Rate { get; init; }

    /// <summary>Target memory before the run; null without --pid.</summary>
    public ProcessMemory? MemoryBefore { get; init; }

    /// <summary>Target memory at the peak of the load (all idle sessions open, or right after the large message).</summary>
    public ProcessMemory? MemoryDuring { get; init; }

    /// <summary>Target memory after the load was released.</summary>
    public ProcessMemory? MemoryAfter { get; init; }

    /// <summary>
    /// Whether the target's VmHWM was reset just before the load, so that
    /// <see cref="MemoryAfter"/>'s high-water mark is the peak of the load itself.
    /// </summary>
    public bool PeakReset { get; init; }

    /// <summary>Peak RSS during the load minus RSS before it, in KiB; null without --pid or when the peak could not be reset.</summary>
    public long? PeakGrowthKiB => PeakReset && MemoryBefore is not null && MemoryAfter is not null
        ? MemoryAfter.HighWaterMarkKiB - MemoryBefore.RssKiB
        : null;

    /// <summary>Target CPU per completed message, in ms.</summary>
    public double? CpuPerMessageMilliseconds =>
        TargetCpuMilliseconds is double cpu && Result.Completed > 0 ? cpu / Result.Completed : null;

    public string ToText()
    {
        var text = new StringBuilder();
        BenchResult r = Result;
        Line(text, "mode", Mode);
        Line(text, "target", Target);
        Line(text, "connections", Connections.ToString(CultureInfo.InvariantCulture));
        Line(text, "writes", Writes);
        Line(text, "rate", Rate is double rate ? rate.ToString("0.##", CultureInfo.InvariantCulture) + " messages/s" : "back to back");
        if (Mode == "idle-connections")
        {
            // Idle mode sends no mail: the tally counts sessions opened (Accepted) and failed.
            Line(text, "sessions", $"{r.Accepted} opened and held, {r.ConnectFailures} failed to open");
            AppendTarget(text);
            return text.ToString();
        }

        Line(text, "messages", $"{r.Attempted} attempted, {r.Completed} completed in {r.Elapsed.TotalSeconds:F3} s");
        Line(text, "throughput", $"{r.MessagesPerSecond:F1} messages/s");
        Line(text, "verdicts", $"{r.Accepted} accepted, {r.Rejected} rejected, {r.TempFailed} tempfailed, {r.Discarded} discarded");
        Line(text, "errors", $"{r.Errors} ({r.ConnectFailures} connect, {r.Disconnects} disconnect, {r.ProtocolViolations} protocol, {r.Timeouts} timeout)");
        Line(text, "end-of-message", Latency(r.EndOfMessage));
        Line(text, "whole message", Latency(r.WholeMessage));
        AppendTarget(text);
        return text.ToString();
    }

    private void AppendTarget(StringBuilder text)
    {
        if (TargetCpuMilliseconds is double cpu)
        {
            Line(text, "target cpu", Mode == "idle-connections" ? $"{cpu:F0} ms" : $"{cpu:F0} ms, {CpuPerMessageMilliseconds ?? 0:F3} ms/message (clock ticks {ProcessStats.ClockTicksPerSecond}/s)");
        }

        if (LoadToolCpuMilliseconds is double own && Mode != "idle-connections")
        {
            Line(text, "load tool cpu", $"{own:F0} ms, {LoadToolCpuPerMessageMilliseconds ?? 0:F3} ms/message");
        }

        if (LoadToolAllocatedBytesPerMessage is double allocated && Mode != "idle-connections")
        {
            // The total too: most of a short run's bytes are set up once (each connection's buffers,
            // two 30 KB latency histograms per connection), not per message.
            Line(text, "load tool alloc", $"{allocated:F0} bytes/message ({LoadToolAllocatedBytes / 1024.0:F0} KiB over the run), {LoadToolGen0Collections ?? 0} gen0 GCs");
        }

        if (MemoryBefore is not null)
        {
            Line(text, "target rss", $"before {MemoryBefore.RssKiB} KiB, during {MemoryDuring?.RssKiB} KiB, after {MemoryAfter?.RssKiB} KiB; peak (VmHWM) {MemoryAfter?.HighWaterMarkKiB} KiB");
            if (PeakGrowthKiB is long growth)
            {
                Line(text, "peak growth", $"{growth} KiB over the load (VmHWM reset at its start)");
            }
        }
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            BenchResult r = Result;
            json.WriteStartObject();
            json.WriteString("mode", Mode);
            json.WriteString("target", Target);
            json.WriteNumber("connections", Connections);
            json.WriteString("writes", Writes);
            if (Rate is double paced)
            {
                json.WriteNumber("rate", paced);
            }
            else
            {
                json.WriteNull("rate");
            }
            json.WriteNumber("attempted", r.Attempted);
            json.WriteNumber("completed", r.Completed);
            json.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 6));
            json.WriteNumber("messagesPerSecond", Math.Round(r.MessagesPerSecond, 2));
            json.WriteNumber("accepted", r.Accepted);
            json.WriteNumber("rejected", r.Rejected);
            json.WriteNumber("tempfailed", r.TempFailed);
            json.WriteNumber("discarded", r.Discarded);
            json.WriteStartObject("errors");
            json.WriteNumber("total", r.Errors);
            json.WriteNumber("connect", r.ConnectFailures);
            json.WriteNumber("disconnect", r.Disconnects);
            json.WriteNumber("protocol", r.ProtocolViolations);
            json.WriteNumber("timeout", r.Timeouts);
            json.WriteEndObject();
            WriteLatency(json, "endOfMessageMicroseconds", r.EndOfMessage);
            WriteLatency(json, "wholeMessageMicroseconds", r.WholeMessage);
            if (TargetCpuMilliseconds is double cpu)
            {
                json.WriteNumber("targetCpuMilliseconds", cpu);
                json.WriteNumber("targetCpuMillisecondsPerMessage", Math.Round(CpuPerMessageMilliseconds ?? 0, 4));
            }

            if (LoadToolCpuMilliseconds is double own && Mode != "idle-connections")
            {
                json.WriteNumber("loadToolCpuMilliseconds", own);
                json.WriteNumber("loadToolCpuMillisecondsPerMessage", Math.Round(LoadToolCpuPerMessageMilliseconds ?? 0, 4));
            }

            if (LoadToolAllocatedBytesPerMessage is double allocated && Mode != "idle-connections")
            {
                json.WriteNumber("loadToolAllocatedBytes", LoadToolAllocatedBytes ?? 0);
                json.WriteNumber("loadToolAllocatedBytesPerMessage", Math.Round(allocated, 1));
                json.WriteNumber("loadToolGen0Collections", LoadToolGen0Collections ?? 0);
            }

            WriteMemory(json, "memoryBeforeKiB", MemoryBefore);
            WriteMemory(json, "memoryDuringKiB", MemoryDuring);
            WriteMemory(json, "memoryAfterKiB", MemoryAfter);
            if (PeakGrowthKiB is long growth)
            {
                json.WriteNumber("peakGrowthKiB", growth);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Line(StringBuilder text, string label, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{label,-15} {value}\n");

    private static string Latency(LatencyHistogram histogram) => histogram.Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture,
            $"p50 {Micros(histogram.ValueAtPercentile(50))} us, p99 {Micros(histogram.ValueAtPercentile(99))} us, max {Micros(histogram.MaxNanoseconds)} us ({histogram.Count} samples)");

    private static void WriteLatency(Utf8JsonWriter json, string name, LatencyHistogram histogram)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", histogram.Count);
        json.WriteNumber("p50", Micros(histogram.ValueAtPercentile(50)));
        json.WriteNumber("p99", Micros(histogram.ValueAtPercentile(99)));
        json.WriteNumber("max", Micros(histogram.MaxNanoseconds));
        json.WriteNumber("mean", histogram.Count == 0 ? 0 : Micros(histogram.SumNanoseconds / histogram.Count));
        json.WriteEndObject();
    }

    private static void WriteMemory(Utf8JsonWriter json, string name, ProcessMemory? memory)
    {
        if (memory is null)
        {
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("rss", memory.RssKiB);
        json.WriteNumber("hwm", memory.HighWaterMarkKiB);
        json.WriteEndObject();
    }

    private static double Micros(long nanoseconds) => Math.Round(nanoseconds / 1000.0, 1);
}
