namespace Filter.Milter.Protocol;

/// <summary>SMFIC_QUIT: the SMTP session is over; close (milter reference §5.14). No payload, never answered.</summary>
public sealed record QuitCommand : MilterCommand
{
    private QuitCommand()
    {
    }

    /// <summary>The one instance (the command has no payload).</summary>
    public static QuitCommand Instance { get; } = new();

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Quit;
}
