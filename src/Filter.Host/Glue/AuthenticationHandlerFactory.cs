using Filter.Engine.Pipeline;
using Filter.Host.Metrics;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Glue;

/// <summary>
/// Creates an <see cref="AuthenticationMilterHandler"/> per SMTP session and says what they need:
/// every step up to the body (CONNECT for the client, HELO for SPF's HELO identity, MAIL and RCPT
/// for the envelope, headers and body for DKIM and DMARC), none of them answered before end of
/// message (so the MTA sends them without waiting where it offers no-reply flags), header add,
/// change and quarantine actions, and exact header whitespace (SMFIP_HDR_LEADSPC) for DKIM.
/// The MTA's default macro lists carry what we read: <c>{i}</c>, <c>{auth_authen}</c>.
/// </summary>
internal sealed class AuthenticationHandlerFactory(
    Func<MessageAuthenticationEngine> currentEngine,
    FilterMetrics metrics,
    ILogger logger,
    Filter.Host.Recording.MessageRecorder? recorder = null) : IMilterHandlerFactory
{
    private static readonly MilterCapabilities s_capabilities = new(
        MilterSteps.Connect | MilterSteps.Helo | MilterSteps.Mail | MilterSteps.Recipient | MilterSteps.Header | MilterSteps.EndOfHeaders | MilterSteps.Body,
        MilterSteps.None,
        MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine,
        [],
        HeaderLeadingSpace: true);

    public MilterCapabilities Capabilities => s_capabilities;

    public IMilterHandler CreateHandler(MilterSessionInfo session)
    {
        metrics.SessionOpened();
        return new AuthenticationMilterHandler(currentEngine, metrics, logger, recorder);
    }
}
