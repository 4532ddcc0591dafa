using System.Buffers;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Support;

/// <summary>
/// A handler factory for tests: each handler writes what it is told into a shared event list,
/// records the macros named in <see cref="MacroProbes"/> at each step, and answers as configured.
/// </summary>
internal sealed class RecordingHandlerFactory(MilterCapabilities capabilities) : IMilterHandlerFactory
{
    private readonly List<string> _events = [];

    public MilterCapabilities Capabilities { get; } = capabilities;

    /// <summary>Macro names whose values are recorded at every step ("mail i=ABC").</summary>
    public IReadOnlyList<string> MacroProbes { get; init; } = [];

    /// <summary>Decision per step name ("connect", "helo", "mail", "rcpt", "data", "header", "eoh", "body", "unknown"), default continue.</summary>
    public Func<string, MilterDecision>? Decide { get; init; }

    /// <summary>The end-of-message answer, default accept.</summary>
    public Func<MilterContext, MilterMessageOutcome>? EndOfMessage { get; init; }

    /// <summary>A step name at which the handler throws.</summary>
    public string? ThrowAt { get; init; }

    /// <summary>Released when a handler's end of message starts (to test draining).</summary>
    public TaskCompletionSource? EndOfMessageGate { get; init; }

    public int Created { get; private set; }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public IMilterHandler CreateHandler(MilterSessionInfo session)
    {
        lock (_events)
        {
            Created++;
        }

        return new Handler(this);
    }

    private void Add(string text, MilterContext context)
    {
        lock (_events)
        {
            _events.Add(text);
            foreach (string probe in MacroProbes)
            {
                if (context.Macros.TryGetValue(probe, out string value))
                {
                    _events.Add($"  {probe}={value}");
                }
            }
        }
    }

    private ValueTask<MilterDecision> Step(string step, string text, MilterContext context)
    {
        Add(text, context);
        if (ThrowAt == step)
        {
            throw new InvalidOperationException("handler bug at " + step);
        }

        return ValueTask.FromResult(Decide?.Invoke(step) ?? MilterDecision.Continue);
    }

    private sealed class Handler(RecordingHandlerFactory owner) : IMilterHandler
    {
        public ValueTask<MilterDecision> OnConnectAsync(ConnectCommand connect, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("connect", $"connect {connect.HostName} {(char)connect.Family} {connect.Port} {connect.Address}", context);

        public ValueTask<MilterDecision> OnHeloAsync(HeloCommand helo, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("helo", "helo " + helo.Name, context);

        public ValueTask<MilterDecision> OnMailAsync(MailCommand mail, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("mail", $"mail {mail.Sender} {string.Join(',', mail.Parameters)}".TrimEnd(), context);

        public ValueTask<MilterDecision> OnRecipientAsync(RecipientCommand recipient, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("rcpt", "rcpt " + recipient.Recipient, context);

        public ValueTask<MilterDecision> OnDataAsync(MilterContext context, CancellationToken cancellationToken) => owner.Step("data", "data", context);

        public ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("header", $"header {header.Name}={header.Value} #{header.Occurrence}@{header.Position}", context);

        public ValueTask<MilterDecision> OnEndOfHeadersAsync(MilterContext context, CancellationToken cancellationToken) => owner.Step("eoh", "eoh", context);

        public ValueTask<MilterDecision> OnBodyChunkAsync(ReadOnlySequence<byte> chunk, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("body", $"body {chunk.Length}", context);

        public ValueTask<MilterDecision> OnUnknownAsync(UnknownCommand unknown, MilterContext context, CancellationToken cancellationToken) =>
            owner.Step("unknown", "unknown " + unknown.Line, context);

        public async ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
        {
            owner.Add("eom", context);
            if (owner.EndOfMessageGate is not null)
            {
                await owner.EndOfMessageGate.Task.WaitAsync(cancellationToken);
            }

            if (owner.ThrowAt == "eom")
            {
                throw new InvalidOperationException("handler bug at eom");
            }

            return owner.EndOfMessage?.Invoke(context) ?? MilterMessageOutcome.Accept;
        }

        public ValueTask OnAbortAsync(MilterContext context, CancellationToken cancellationToken)
        {
            owner.Add("abort", context);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCloseAsync(MilterContext context, CancellationToken cancellationToken)
        {
            owner.Add("close", context);
            return ValueTask.CompletedTask;
        }
    }
}
