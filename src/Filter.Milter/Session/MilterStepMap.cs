using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// Which step, skip bit and no-reply bit belong to each command (milter reference §4.4).
/// </summary>
internal static class MilterStepMap
{
    public static MilterSteps StepOf(MilterCommandCode code) => code switch
    {
        MilterCommandCode.Connect => MilterSteps.Connect,
        MilterCommandCode.Helo => MilterSteps.Helo,
        MilterCommandCode.Mail => MilterSteps.Mail,
        MilterCommandCode.Recipient => MilterSteps.Recipient,
        MilterCommandCode.Data => MilterSteps.Data,
        MilterCommandCode.Header => MilterSteps.Header,
        MilterCommandCode.EndOfHeaders => MilterSteps.EndOfHeaders,
        MilterCommandCode.Body => MilterSteps.Body,
        MilterCommandCode.Unknown => MilterSteps.Unknown,
        _ => MilterSteps.None,
    };

    public static MilterProtocolFlags SkipFlagOf(MilterSteps step) => step switch
    {
        MilterSteps.Connect => MilterProtocolFlags.NoConnect,
        MilterSteps.Helo => MilterProtocolFlags.NoHelo,
        MilterSteps.Mail => MilterProtocolFlags.NoMail,
        MilterSteps.Recipient => MilterProtocolFlags.NoRecipient,
        MilterSteps.Data => MilterProtocolFlags.NoData,
        MilterSteps.Header => MilterProtocolFlags.NoHeaders,
        MilterSteps.EndOfHeaders => MilterProtocolFlags.NoEndOfHeaders,
        MilterSteps.Body => MilterProtocolFlags.NoBody,
        MilterSteps.Unknown => MilterProtocolFlags.NoUnknown,
        _ => MilterProtocolFlags.None,
    };

    public static MilterProtocolFlags NoReplyFlagOf(MilterSteps step) => step switch
    {
        MilterSteps.Connect => MilterProtocolFlags.NoReplyConnect,
        MilterSteps.Helo => MilterProtocolFlags.NoReplyHelo,
        MilterSteps.Mail => MilterProtocolFlags.NoReplyMail,
        MilterSteps.Recipient => MilterProtocolFlags.NoReplyRecipient,
        MilterSteps.Data => MilterProtocolFlags.NoReplyData,
        MilterSteps.Header => MilterProtocolFlags.NoReplyHeader,
        MilterSteps.EndOfHeaders => MilterProtocolFlags.NoReplyEndOfHeaders,
        MilterSteps.Body => MilterProtocolFlags.NoReplyBody,
        MilterSteps.Unknown => MilterProtocolFlags.NoReplyUnknown,
        _ => MilterProtocolFlags.None,
    };

    public static IEnumerable<MilterSteps> Each()
    {
        yield return MilterSteps.Connect;
        yield return MilterSteps.Helo;
        yield return MilterSteps.Mail;
        yield return MilterSteps.Recipient;
        yield return MilterSteps.Data;
        yield return MilterSteps.Header;
        yield return MilterSteps.EndOfHeaders;
        yield return MilterSteps.Body;
        yield return MilterSteps.Unknown;
    }
}
