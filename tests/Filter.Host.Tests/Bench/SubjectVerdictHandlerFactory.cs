using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Host.Tests.Bench;

/// <summary>
/// A trivial milter for load-runner tests: accepts every message, except that a Subject containing
/// "reject" gets a 550 at end of message and one containing "tempfail" a 451. Counts sessions opened.
/// </summary>
internal sealed class SubjectVerdictHandlerFactory : IMilterHandlerFactory
{
    private int _sessions;

    public MilterCapabilities Capabilities { get; } = new(MilterSteps.All, MilterSteps.None, MilterActionFlags.AddHeaders, []);

    public int SessionsCreated => Volatile.Read(ref _sessions);

    public IMilterHandler CreateHandler(MilterSessionInfo session)
    {
        Interlocked.Increment(ref _sessions);
        return new Handler();
    }

    private sealed class Handler : IMilterHandler
    {
        private MilterDecision _verdict = MilterDecision.Continue;

        public ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken)
        {
            if (string.Equals(header.Name, "Subject", StringComparison.OrdinalIgnoreCase))
            {
                if (header.Value.Contains("reject", StringComparison.Ordinal))
                {
                    _verdict = MilterDecision.Reject(SmtpReply.Create(550, "5.7.1", "rejected by test"));
                }
                else if (header.Value.Contains("tempfail", StringComparison.Ordinal))
                {
                    _verdict = MilterDecision.TempFail(SmtpReply.Create(451, "4.7.1", "try later"));
                }
            }

            return ValueTask.FromResult(MilterDecision.Continue);
        }

        public ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
        {
            MilterDecision verdict = _verdict;
            _verdict = MilterDecision.Continue;
            return ValueTask.FromResult(new MilterMessageOutcome(verdict, []));
        }
    }
}
