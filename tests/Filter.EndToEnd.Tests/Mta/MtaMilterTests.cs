using System.Net;
using Filter.Milter.Protocol;
using Filter.Milter.Server;
using Filter.Testing.Mta;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Filter.EndToEnd.Tests.Mta;

/// <summary>
/// The same assertions against each real MTA: a Filter.Milter server in-process with
/// <see cref="ScriptedMilterHandler"/>, the MTA started from the samples, mail sent over SMTP
/// from 127.0.0.1 with MailKit. Subclasses start one MTA.
/// </summary>
public abstract class MtaMilterTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    private ScriptedMilterHandlerFactory _factory = null!;
    private MilterServer? _server;

    /// <summary>The factory whose handlers the MTA talks to.</summary>
    private protected ScriptedMilterHandlerFactory Factory => _factory;

    /// <summary>Where the MTA listens for SMTP.</summary>
    protected abstract IPEndPoint SmtpEndPoint { get; }

    /// <summary>A recipient the MTA delivers to <see cref="Mailbox"/>.</summary>
    protected abstract string Recipient { get; }

    /// <summary>Delivered messages.</summary>
    protected abstract MtaMailbox Mailbox { get; }

    /// <summary>Why the MTA cannot run here, or null.</summary>
    protected abstract string? UnavailableReason();

    /// <summary>Starts the MTA with its milter at <paramref name="milter"/>.</summary>
    protected abstract Task StartMtaAsync(IPEndPoint milter, CancellationToken cancellationToken);

    /// <summary>Stops the MTA.</summary>
    protected abstract ValueTask StopMtaAsync();

    /// <summary>Waits for the quarantined message with <paramref name="subject"/>.</summary>
    protected abstract Task<MtaQueuedMessage> WaitForQuarantinedAsync(string subject, TimeSpan bound, CancellationToken cancellationToken);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        MtaRequirement.Require(UnavailableReason());
        _factory = new ScriptedMilterHandlerFactory();
        _server = new MilterServer(new MilterServerOptions { Listen = MilterSocketSpec.Inet("127.0.0.1", 0) }, _factory);
        await _server.StartAsync(CancellationToken.None);
        await StartMtaAsync((IPEndPoint)_server.LocalEndPoint!, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await StopMtaAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task Delivered_message_carries_the_inserted_header_at_the_top_and_lacks_the_deleted_one()
    {
        string subject = NewSubject();
        await SendAsync(subject, ScriptedAction.Deliver);

        byte[] raw = await Mailbox.WaitForMessageAsync(subject, s_bound, CancellationToken.None);
        MimeMessage delivered = await MimeMessage.LoadAsync(new MemoryStream(raw));
        List<Header> headers = WithoutDeliveryHeaders(delivered.Headers);
        Assert.Multiple(() =>
        {
            Assert.That(headers[0].Field, Is.EqualTo(ScriptedMilterHandler.InsertedName), "index 0 is the very top");
            Assert.That(headers[0].Value, Is.EqualTo(ScriptedMilterHandler.InsertedValue));
            Assert.That(headers[1].Field, Is.EqualTo("Received"), "the MTA's own Received header counts as index 0 and ends up just below");
            Assert.That(delivered.Headers.Contains(ScriptedMilterHandler.DeletedName), Is.False);
            Assert.That(delivered.Headers["X-Keep-Me"], Is.EqualTo("kept"));
        });
    }

    [Test]
    public async Task Reject_gives_550_5_7_1_at_end_of_data()
    {
        string subject = NewSubject();
        SmtpCommandException exception = (await SendExpectingFailureAsync(subject, ScriptedAction.Reject))!;
        Assert.Multiple(() =>
        {
            Assert.That((int)exception.StatusCode, Is.EqualTo(550));
            Assert.That(exception.Message, Does.Contain("5.7.1").And.Contain("rejected by the test milter"));
            Assert.That(exception.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted));
            Assert.That(Mailbox.Contains(subject), Is.False);
        });
    }

    [Test]
    public async Task Tempfail_gives_451_4_7_1_at_end_of_data()
    {
        string subject = NewSubject();
        SmtpCommandException exception = (await SendExpectingFailureAsync(subject, ScriptedAction.TempFail))!;
        Assert.Multiple(() =>
        {
            Assert.That((int)exception.StatusCode, Is.EqualTo(451));
            Assert.That(exception.Message, Does.Contain("4.7.1").And.Contain("try again, says the test milter"));
            Assert.That(exception.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted));
            Assert.That(Mailbox.Contains(subject), Is.False);
        });
    }

    [Test]
    public async Task Quarantine_keeps_the_message_in_the_MTA_queue_and_the_client_sees_250()
    {
        string subject = NewSubject();
        await SendAsync(subject, ScriptedAction.Quarantine);

        MtaQueuedMessage held = await WaitForQuarantinedAsync(subject, s_bound, CancellationToken.None);
        await AssertQuarantinedAsync(held);
        Assert.That(held.Text, Does.Contain(ScriptedMilterHandler.InsertedName), "edits before QUARANTINE are applied to the held message");
    }

    [Test]
    public async Task Sample_macros_arrive_and_auth_authen_is_empty_for_unauthenticated_mail()
    {
        string subject = NewSubject();
        await SendAsync(subject, ScriptedAction.Deliver);
        await Mailbox.WaitForMessageAsync(subject, s_bound, CancellationToken.None);

        MacroObservation macros = Factory.MacrosFor(subject) ?? throw new AssertionException("the milter never saw the message's end");
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: macros per stage\n{macros}");
        await AssertAuthAuthenConfiguredAsync();
        Assert.Multiple(() =>
        {
            Assert.That(macros.Get(MilterCommandCode.Mail, "{auth_authen}"), Is.Null.Or.Empty, "no SASL login, so no authenticated identity");
            Assert.That(macros.Get(MilterCommandCode.EndOfMessage, "i"), Is.Not.Null.And.Not.Empty, "the queue id at end of message, as the sample asks");
            Assert.That(macros.Get(MilterCommandCode.Connect, "j"), Is.Not.Null.And.Not.Empty, "the MTA's host name at connect");
        });
    }

    /// <summary>Asserts what the MTA keeps of a quarantine.</summary>
    protected abstract Task AssertQuarantinedAsync(MtaQueuedMessage held);

    /// <summary>Asserts that the MTA's configuration (from the sample) asks for <c>{auth_authen}</c>.</summary>
    protected abstract Task AssertAuthAuthenConfiguredAsync();

    private static string NewSubject() => "authfilter-e2e-" + Guid.NewGuid().ToString("N");

    private static List<Header> WithoutDeliveryHeaders(HeaderList headers)
    {
        // Delivery agents prepend these when they write the message out; they are not part of
        // the message as the milter and the MTA's cleanup saw it.
        var list = new List<Header>();
        bool leading = true;
        foreach (Header header in headers)
        {
            if (leading && (header.Field is "Return-Path" or "Delivered-To" or "X-Original-To"))
            {
                continue;
            }

            leading = false;
            list.Add(header);
        }

        return list;
    }

    private async Task SendAsync(string subject, ScriptedAction action)
    {
        using var client = new SmtpClient { LocalDomain = "client.authfilter.test" };
        await client.ConnectAsync(SmtpEndPoint.Address.ToString(), SmtpEndPoint.Port, SecureSocketOptions.None);
        await client.SendAsync(Build(subject, action));
        await client.DisconnectAsync(quit: true);
    }

    private async Task<SmtpCommandException?> SendExpectingFailureAsync(string subject, ScriptedAction action)
    {
        using var client = new SmtpClient { LocalDomain = "client.authfilter.test" };
        await client.ConnectAsync(SmtpEndPoint.Address.ToString(), SmtpEndPoint.Port, SecureSocketOptions.None);
        SmtpCommandException? exception = Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Build(subject, action)));
        await client.DisconnectAsync(quit: true);
        return exception;
    }

    private MimeMessage Build(string subject, ScriptedAction action)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@sender.test"));
        message.To.Add(MailboxAddress.Parse(Recipient));
        message.Subject = subject;
        message.Headers.Add(ScriptedMilterHandler.ActionName, action.ToString());
        message.Headers.Add(ScriptedMilterHandler.DeletedName, "to be deleted by the milter");
        message.Headers.Add("X-Keep-Me", "kept");
        message.Body = new TextPart("plain") { Text = "Hello from the authfilter end-to-end tests.\n" };
        return message;
    }
}
