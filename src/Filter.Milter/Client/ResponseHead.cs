using System.Buffers;
using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>
/// What the client needs of a checked response to go on with a prepared message: its code and the
/// MTA's action for it (the action matters for decisions only). No strings are decoded.
/// </summary>
/// <param name="Code">The response code.</param>
/// <param name="Action">The MTA's action were this the decision.</param>
/// <param name="Present">False for the reply to a step the milter does not answer.</param>
internal readonly record struct ResponseHead(MilterResponseCode Code, MilterMessageAction Action, bool Present)
{
    /// <summary>No reply expected.</summary>
    public static ResponseHead None => default;

    /// <summary>True when the milter let the command through (CONTINUE or no reply).</summary>
    public bool IsContinue => !Present || Code == MilterResponseCode.Continue;

    /// <summary>The head of a frame that <see cref="MilterResponseParser.TryValidate"/> accepted.</summary>
    public static ResponseHead Of(in MilterFrame frame)
    {
        var code = (MilterResponseCode)frame.Code;
        MilterMessageAction action = code switch
        {
            MilterResponseCode.Reject => MilterMessageAction.Reject,
            MilterResponseCode.TempFail => MilterMessageAction.TempFail,
            MilterResponseCode.Discard => MilterMessageAction.Discard,
            MilterResponseCode.Shutdown => MilterMessageAction.Shutdown,
            MilterResponseCode.ReplyCode => ReplyAction(frame.Payload),
            _ => MilterMessageAction.Accept,
        };
        return new ResponseHead(code, action, true);
    }

    // As MilterClient.ActionOf reads the text: "421" closes the session, other 4xx tempfail, 5xx reject.
    private static MilterMessageAction ReplyAction(in ReadOnlySequence<byte> payload)
    {
        Span<byte> head = stackalloc byte[3];
        payload.Slice(0, 3).CopyTo(head);
        return head.SequenceEqual("421"u8) ? MilterMessageAction.Shutdown
            : head[0] == (byte)'4' ? MilterMessageAction.TempFail
            : MilterMessageAction.Reject;
    }
}
