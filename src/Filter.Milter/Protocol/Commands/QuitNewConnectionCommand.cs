namespace Filter.Milter.Protocol;

/// <summary>SMFIC_QUIT_NC: the SMTP session is over but the socket stays for a new one without a new OPTNEG (milter reference §5.15). No payload, never answered.</summary>
public sealed record QuitNewConnectionCommand : MilterCommand
{
    private QuitNewConnectionCommand()
    {
    }

    /// <summary>The one instance (the command has no payload).</summary>
    public static QuitNewConnectionCommand Instance { get; } = new();

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.QuitNewConnection;
}
