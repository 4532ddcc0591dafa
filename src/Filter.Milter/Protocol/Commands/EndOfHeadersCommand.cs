namespace Filter.Milter.Protocol;

/// <summary>SMFIC_EOH: end of the header section (milter reference §5.9). No payload.</summary>
public sealed record EndOfHeadersCommand : MilterCommand
{
    private EndOfHeadersCommand()
    {
    }

    /// <summary>The one instance (the command has no payload).</summary>
    public static EndOfHeadersCommand Instance { get; } = new();

    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.EndOfHeaders;
}
