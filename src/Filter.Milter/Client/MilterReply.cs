using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>
/// The milter's answer to one command: the decision, or none when the command expects no reply
/// (MACRO, ABORT, QUIT, or a step negotiated as no-reply).
/// </summary>
/// <param name="Response">The decision response, or null when no reply was expected.</param>
/// <param name="ProgressCount">PROGRESS keep-alives received before it.</param>
public sealed record MilterReply(MilterResponse? Response, int ProgressCount = 0)
{
    /// <summary>No reply was expected.</summary>
    public static MilterReply None { get; } = new((MilterResponse?)null);

    /// <summary>The decision code, or null when no reply was expected.</summary>
    public MilterResponseCode? Code => Response?.Code;

    /// <summary>True when the milter let the command through (CONTINUE or no reply).</summary>
    public bool IsContinue => Response is null || Response.Code == MilterResponseCode.Continue;

    /// <summary>The REPLYCODE text, if the decision was one.</summary>
    public string? ReplyText => (Response as ReplyCodeResponse)?.Text;
}
