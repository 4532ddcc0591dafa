namespace Filter.Milter.Protocol;

/// <summary>
/// A response without payload (milter reference §7.1): CONTINUE, ACCEPT, REJECT, TEMPFAIL,
/// DISCARD, SKIP, PROGRESS and SHUTDOWN. On the wire each is exactly <c>00 00 00 01 xx</c>;
/// Postfix drops a milter that adds payload bytes to them.
/// </summary>
public sealed record SimpleResponse : MilterResponse
{
    private readonly MilterResponseCode _code;

    private SimpleResponse(MilterResponseCode code) => _code = code;

    /// <summary>SMFIR_CONTINUE.</summary>
    public static SimpleResponse Continue { get; } = new(MilterResponseCode.Continue);

    /// <summary>SMFIR_ACCEPT.</summary>
    public static SimpleResponse Accept { get; } = new(MilterResponseCode.Accept);

    /// <summary>SMFIR_REJECT.</summary>
    public static SimpleResponse Reject { get; } = new(MilterResponseCode.Reject);

    /// <summary>SMFIR_TEMPFAIL.</summary>
    public static SimpleResponse TempFail { get; } = new(MilterResponseCode.TempFail);

    /// <summary>SMFIR_DISCARD.</summary>
    public static SimpleResponse Discard { get; } = new(MilterResponseCode.Discard);

    /// <summary>SMFIR_SKIP (v6, after a body chunk only).</summary>
    public static SimpleResponse Skip { get; } = new(MilterResponseCode.Skip);

    /// <summary>SMFIR_PROGRESS: keep-alive, not a decision.</summary>
    public static SimpleResponse Progress { get; } = new(MilterResponseCode.Progress);

    /// <summary>SMFIR_SHUTDOWN: 421 and disconnect (Postfix only).</summary>
    public static SimpleResponse Shutdown { get; } = new(MilterResponseCode.Shutdown);

    /// <inheritdoc />
    public override MilterResponseCode Code => _code;

    /// <summary>The instance for a payload-less code, or null when the code carries a payload.</summary>
    public static SimpleResponse? FromCode(MilterResponseCode code) => code switch
    {
        MilterResponseCode.Continue => Continue,
        MilterResponseCode.Accept => Accept,
        MilterResponseCode.Reject => Reject,
        MilterResponseCode.TempFail => TempFail,
        MilterResponseCode.Discard => Discard,
        MilterResponseCode.Skip => Skip,
        MilterResponseCode.Progress => Progress,
        MilterResponseCode.Shutdown => Shutdown,
        _ => null,
    };
}
