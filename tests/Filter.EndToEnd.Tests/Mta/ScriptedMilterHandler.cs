using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.EndToEnd.Tests.Mta;

/// <summary>
/// A milter for proving the MTA harness: reads the action from the X-Test-Action header, and at
/// end of message inserts X-AuthFilter-Test at index 0 (above the MTA's own Received header),
/// deletes the first X-Delete-Me, then accepts, rejects (550 5.7.1), tempfails (451 4.7.1) or
/// quarantines. Records the macros of every stage for the message's Subject.
/// </summary>
internal sealed class ScriptedMilterHandler(ScriptedMilterHandlerFactory factory) : IMilterHandler
{
    public const string InsertedName = "X-AuthFilter-Test";
    public const string InsertedValue = "inserted at index 0";
    public const string DeletedName = "X-Delete-Me";
    public const string ActionName = "X-Test-Action";
    public const string QuarantineReason = "authfilter test quarantine";

    private static readonly MilterCommandCode[] s_stages =
    [
        MilterCommandCode.Connect, MilterCommandCode.Helo, MilterCommandCode.Mail, MilterCommandCode.Recipient,
        MilterCommandCode.Data, MilterCommandCode.EndOfHeaders, MilterCommandCode.EndOfMessage,
    ];

    private ScriptedAction _action = ScriptedAction.Deliver;
    private string _subject = string.Empty;
    private bool _sawDeleted;

    public ValueTask<MilterDecision> OnHeaderAsync(MilterHeader header, MilterContext context, CancellationToken cancellationToken)
    {
        if (header.Name.Equals(ActionName, StringComparison.OrdinalIgnoreCase))
        {
            _action = Enum.Parse<ScriptedAction>(header.Value.Trim(), ignoreCase: true);
        }
        else if (header.Name.Equals("Subject", StringComparison.OrdinalIgnoreCase))
        {
            _subject = header.Value.Trim();
        }
        else if (header.Name.Equals(DeletedName, StringComparison.OrdinalIgnoreCase))
        {
            _sawDeleted = true;
        }

        return ValueTask.FromResult(MilterDecision.Continue);
    }

    public ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
    {
        var byStage = new Dictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (MilterCommandCode stage in s_stages)
        {
            byStage[stage] = context.Macros.GetStage(stage);
        }

        factory.Record(_subject, new MacroObservation(byStage));

        var edits = new MilterMessageEdits().InsertHeader(0, InsertedName, InsertedValue);
        if (_sawDeleted)
        {
            edits.DeleteHeader(DeletedName, 1);
        }

        MilterDecision decision = MilterDecision.Accept;
        switch (_action)
        {
            case ScriptedAction.Reject:
                decision = MilterDecision.Reject(SmtpReply.Create(550, "5.7.1", "rejected by the test milter"));
                break;
            case ScriptedAction.TempFail:
                decision = MilterDecision.TempFail(SmtpReply.Create(451, "4.7.1", "try again, says the test milter"));
                break;
            case ScriptedAction.Quarantine:
                edits.Quarantine(QuarantineReason);
                break;
        }

        Reset();
        return ValueTask.FromResult(edits.ToOutcome(decision));
    }

    public ValueTask OnAbortAsync(MilterContext context, CancellationToken cancellationToken)
    {
        Reset();
        return ValueTask.CompletedTask;
    }

    private void Reset()
    {
        _action = ScriptedAction.Deliver;
        _subject = string.Empty;
        _sawDeleted = false;
    }
}
