using System.Net;
using Filter.Testing;
using Filter.EndToEnd.Tests.Mta;
using Filter.Testing.Mta;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>The real daemon behind real Sendmail 8.17, its .cf built with samples/sendmail/authfilter.mc as it is.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SendmailDaemonTests : DaemonMtaTests
{
    private SendmailInstance? _sendmail;

    protected override IPEndPoint SmtpEndPoint => Sendmail.SmtpEndPoint;

    protected override string Recipient => SendmailInstance.Recipient;

    protected override MtaMailbox Mailbox => Sendmail.Mailbox;

    private SendmailInstance Sendmail => _sendmail ?? throw new InvalidOperationException("Sendmail is not started");

    protected override string? UnavailableReason() => SendmailInstance.UnavailableReason() ?? CyrusSasl.UnavailableReason();

    protected override async Task StartMtaAsync(IPEndPoint milter, SaslAccount submitter, CancellationToken cancellationToken) =>
        _sendmail = await SendmailInstance.StartAsync(TestPaths.InRepository("samples", "sendmail", "authfilter.mc"), milter, submitter, cancellationToken);

    protected override string MtaLog() => "(Sendmail logs only through syslog; see the milter reference §18)";

    protected override async ValueTask StopMtaAsync()
    {
        if (_sendmail is not null)
        {
            await _sendmail.DisposeAsync();
            _sendmail = null;
        }
    }

    protected override Task<MtaQueuedMessage> WaitForQuarantinedAsync(string subject, TimeSpan bound, CancellationToken cancellationToken) =>
        Sendmail.WaitForQuarantinedMessageAsync(subject, bound, cancellationToken);

    protected override void AssertQuarantined(MtaQueuedMessage held) =>
        // Sendmail keeps the milter's reason in the hf file's q line (milter reference §18).
        Assert.That(held.Reason, Does.StartWith("DMARC fail for " + DaemonZone.Quarantine));
}
