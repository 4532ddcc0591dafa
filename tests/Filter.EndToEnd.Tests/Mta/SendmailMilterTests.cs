using System.Net;
using Filter.Testing;
using Filter.Testing.Mta;

namespace Filter.EndToEnd.Tests.Mta;

/// <summary>Real Sendmail 8.17, its .cf built with samples/sendmail/authfilter.mc as it is.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SendmailMilterTests : MtaMilterTests
{
    private SendmailInstance? _sendmail;

    protected override IPEndPoint SmtpEndPoint => Sendmail.SmtpEndPoint;

    protected override string Recipient => SendmailInstance.Recipient;

    protected override MtaMailbox Mailbox => Sendmail.Mailbox;

    private SendmailInstance Sendmail => _sendmail ?? throw new InvalidOperationException("Sendmail is not started");

    protected override string? UnavailableReason() => SendmailInstance.UnavailableReason();

    protected override async Task StartMtaAsync(IPEndPoint milter, CancellationToken cancellationToken) =>
        _sendmail = await SendmailInstance.StartAsync(TestPaths.InRepository("samples", "sendmail", "authfilter.mc"), milter, cancellationToken);

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

    protected override async Task AssertQuarantinedAsync(MtaQueuedMessage held)
    {
        string listing = await Sendmail.ListQuarantineAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(held.Reason, Is.EqualTo(ScriptedMilterHandler.QuarantineReason), "the qf/hf file's q line");
            Assert.That(listing, Does.Contain(held.QueueId).And.Contain(ScriptedMilterHandler.QuarantineReason), "mailq -qQ shows it with the reason");
        });
    }

    protected override Task AssertAuthAuthenConfiguredAsync()
    {
        // The .cf built from the sample names the macro in the envfrom list Sendmail sends at MAIL.
        string cf = File.ReadAllText(Sendmail.ConfigFile);
        Assert.That(cf, Does.Match(@"O Milter\.macros\.envfrom=[^\n]*\{auth_authen\}"));
        return Task.CompletedTask;
    }
}
