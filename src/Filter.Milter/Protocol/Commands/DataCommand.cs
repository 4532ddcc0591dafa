namespace Filter.Milter.Protocol;

/// <summary>SMFIC_DATA: the client sent DATA (milter reference §5.7). No payload.</summary>
public sealed record DataCommand : MilterCommand
{
    private DataCommand()
    {
    }

    /// <summary>The one instance (the command has no payload).</summary>
    public static DataCommand Instance { get; } = new();

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Data;
}
