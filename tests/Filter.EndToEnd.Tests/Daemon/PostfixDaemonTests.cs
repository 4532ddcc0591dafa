using System.Net;
using Filter.Testing;
using Filter.EndToEnd.Tests.Mta;
using Filter.Testing.Mta;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>
/// The real daemon behind real Postfix, hooked up with samples/postfix/main.cf.authfilter as it is;
/// smtpd also offers SMTP AUTH through Cyrus SASL with a sasldb of its own.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostfixDaemonTests : DaemonMtaTests
{
    private PostfixInstance? _postfix;

    protected override IPEndPoint SmtpEndPoint => Postfix.SmtpEndPoint;

    protected override string Recipient => PostfixInstance.Recipient;

    protected override MtaMailbox Mailbox => Postfix.Mailbox;

    private PostfixInstance Postfix => _postfix ?? throw new InvalidOperationException("Postfix is not started");

    // Postfix sends its sasl_username, which carries the realm it was told (smtpd_sasl_local_domain);
    // its log line says the same: "sasl_method=PLAIN, sasl_username=alice@authfilter-e2e.test".
    protected override string AuthenticatedUser => Submitter.UserName + "@" + Submitter.Realm;

    protected override string? UnavailableReason() => PostfixInstance.UnavailableReason() ?? CyrusSasl.UnavailableReason();

    protected override async Task StartMtaAsync(IPEndPoint milter, SaslAccount submitter, CancellationToken cancellationToken) =>
        _postfix = await PostfixInstance.StartAsync(TestPaths.InRepository("samples", "postfix", "main.cf.authfilter"), milter, submitter, cancellationToken);

    protected override string MtaLog() => Postfix.ReadLog();

    protected override async ValueTask StopMtaAsync()
    {
        if (_postfix is not null)
        {
            await _postfix.DisposeAsync();
            _postfix = null;
        }
    }

    protected override Task<MtaQueuedMessage> WaitForQuarantinedAsync(string subject, TimeSpan bound, CancellationToken cancellationToken) =>
        Postfix.WaitForHeldMessageAsync(subject, bound, cancellationToken);

    protected override void AssertQuarantined(MtaQueuedMessage held) =>
        // Postfix keeps no quarantine reason (milter reference §18); the hold queue is the proof.
        Assert.That(held.QueueName, Is.EqualTo("hold"));
}
