using System.Net;
using Filter.Testing;
using Filter.EndToEnd.Tests.Mta;
using Filter.Testing.Mta;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>The real daemon behind real Postfix, hooked up with samples/postfix/main.cf.authfilter as it is.</summary>
[TestFixture]
[NonParallelizable]
public sealed class PostfixDaemonTests : DaemonMtaTests
{
    private PostfixInstance? _postfix;

    protected override IPEndPoint SmtpEndPoint => Postfix.SmtpEndPoint;

    protected override string Recipient => PostfixInstance.Recipient;

    protected override MtaMailbox Mailbox => Postfix.Mailbox;

    private PostfixInstance Postfix => _postfix ?? throw new InvalidOperationException("Postfix is not started");

    protected override string? UnavailableReason() => PostfixInstance.UnavailableReason();

    protected override async Task StartMtaAsync(IPEndPoint milter, CancellationToken cancellationToken) =>
        _postfix = await PostfixInstance.StartAsync(TestPaths.InRepository("samples", "postfix", "main.cf.authfilter"), milter, cancellationToken);

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
