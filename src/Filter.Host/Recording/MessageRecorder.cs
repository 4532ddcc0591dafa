using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Recording;

/// <summary>
/// The daemon's recorder (issue 6 item 6), one per daemon: at MAIL FROM it decides, from the
/// <c>recording</c> section of the policy the message starts on (so a reload turns it on or off for new
/// messages), whether this message is recorded, and if so starts a <see cref="MessageRecording"/> in
/// <c>recording.directory</c>. The recording folder is a corpus: <c>authfilter replay DIR</c>.
/// </summary>
/// <remarks>
/// The policy in force is saved with the entries (<see cref="CorpusEntryWriter.SavePolicy"/>) as the text
/// of the policy file, once per loaded policy, after checking that the file on disk still is that policy
/// and that the copy read from the recording folder judges alike; when not (edited since the last
/// reload, a relative path that would point elsewhere), the entries name no policy and a warning says so
/// (EventId 1011). Nothing here throws into the message: failures are logged (EventId 1010).
/// </remarks>
internal sealed class MessageRecorder
{
    // Settings that change what a socket, cache or exporter does, never how a message is judged.
    private static readonly string[] s_notJudging = ["listen", "dns.", "metrics.", "recording.", "limits.sessions", "limits.packet-size"];

    private readonly string _configPath;
    private readonly PolicyFileLoader _loader;
    private readonly RecordingSampler _sampler;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CorpusEntryWriter> _writers = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<FilterPolicy, PolicySnapshot> _snapshots = [];
    private readonly string _process = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    private long _count;

    public MessageRecorder(string configPath, PolicyFileLoader loader, RecordingSampler sampler, TimeProvider timeProvider, ILogger logger)
    {
        _configPath = configPath;
        _loader = loader;
        _sampler = sampler;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// At MAIL FROM: a recording for this message when the policy records and the sampler picks it, else
    /// null (at once, with no allocation, when recording is off). Null too when the entry cannot be
    /// created (logged); the message is judged as usual either way.
    /// </summary>
    public MessageRecording? TryStart(MessageAuthenticationEngine engine, ClientConnection client, string helo, string mailFrom)
    {
        RecordingSettings settings = engine.Policy.Recording;
        if (!settings.Enabled || settings.Directory is not { Length: > 0 } directory || !_sampler.Sample(settings.SampleRate))
        {
            return null;
        }

        CorpusEntryWriter writer = _writers.GetOrAdd(directory, static path => new CorpusEntryWriter(path));
        string id = NewId();
        try
        {
            FileStream message = writer.CreatePartial(id);
            return new MessageRecording(this, writer, id, message, new RecordingDnsResolver(engine.Resolver), engine.Policy, client, helo, mailFrom);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RecordingLog.RecordingFailed(_logger, "-", "creating the message file", directory, exception);
            return null;
        }
    }

    internal ILogger Logger => _logger;

    /// <summary>The policy file text to save with entries recorded under <paramref name="policy"/>, or null when it cannot be.</summary>
    internal string? PolicyText(FilterPolicy policy) => _snapshots.GetValue(policy, Snapshot).Text;

    private PolicySnapshot Snapshot(FilterPolicy policy)
    {
        string text;
        try
        {
            text = File.ReadAllText(_configPath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            RecordingLog.PolicyNotSaved(_logger, $"cannot read {_configPath}: {exception.Message}");
            return new PolicySnapshot(null);
        }

        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(_configPath)) ?? System.IO.Directory.GetCurrentDirectory();
        PolicyLoadResult onDisk = _loader.LoadText(text, _configPath, baseDirectory);
        if (onDisk.Policy is null || !SameJudgement(onDisk.Policy, policy))
        {
            RecordingLog.PolicyNotSaved(_logger, $"{_configPath} changed since it was loaded; reload to record with it");
            return new PolicySnapshot(null);
        }

        if (!onDisk.ExplicitKeys.Contains("authserv-id"))
        {
            // The daemon's default authserv-id is its host name; a replay elsewhere would default to another.
            text = "authserv-id: " + CorpusEntryWriter.Quote(policy.AuthservId) + "  # the daemon's default (host name), added by recording\n" + text;
        }

        // Replay loads the copy from <recording>/policies with another default: it must judge alike there.
        string copyDirectory = Path.Combine(policy.Recording.Directory ?? baseDirectory, "policies");
        PolicyLoadResult copy = new PolicyFileLoader("replay.invalid").LoadText(text, "recorded policy", copyDirectory);
        if (copy.Policy is null || !SameJudgement(copy.Policy, policy))
        {
            RecordingLog.PolicyNotSaved(_logger, "its copy in the recording folder would judge differently (a relative path, or a file starting with '---' or a directive)");
            return new PolicySnapshot(null);
        }

        return new PolicySnapshot(text);
    }

    private static bool SameJudgement(FilterPolicy a, FilterPolicy b)
    {
        List<(string Key, string Value)> left = PolicySummaryFormatter.Settings(a);
        List<(string Key, string Value)> right = PolicySummaryFormatter.Settings(b);
        if (left.Count != right.Count)
        {
            return false;
        }

        for (int i = 0; i < left.Count; i++)
        {
            if (left[i].Key != right[i].Key || (left[i].Value != right[i].Value && Judges(left[i].Key)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Judges(string key)
    {
        foreach (string prefix in s_notJudging)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    // Sortable by time, unique within the process (counter) and between daemons sharing a folder (process id).
    private string NewId() => string.Create(CultureInfo.InvariantCulture,
        $"{_timeProvider.GetUtcNow():yyyyMMdd'T'HHmmss'.'fff}-{_process}-{Interlocked.Increment(ref _count):D6}");

    private sealed record PolicySnapshot(string? Text);
}
