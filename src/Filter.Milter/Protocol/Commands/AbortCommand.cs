namespace Filter.Milter.Protocol;

/// <summary>SMFIC_ABORT: forget the current message; connection and HELO data stay (milter reference §5.13). No payload, never answered.</summary>
public sealed record AbortCommand : MilterCommand
{
    private AbortCommand()
    {
    }

    /// <summary>The one instance (the command has no payload).</summary>
    public static AbortCommand Instance { get; } = new();

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Abort;
}
