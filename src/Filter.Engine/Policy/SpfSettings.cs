namespace Filter.Engine.Policy;

/// <summary>SPF handling beyond what DMARC does with the result.</summary>
public sealed record SpfSettings
{
    /// <summary>What an SPF fail does on its own. Default: <see cref="SpfFailAction.None"/>, never reject on SPF alone.</summary>
    public SpfFailAction OnFail { get; init; } = SpfFailAction.None;
}
