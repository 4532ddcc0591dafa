using System.Net;
using System.Text;
using Filter.EndToEnd.Tests.Mta;
using Filter.Testing.Mta;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Filter.EndToEnd.Tests.Daemon;

/// <summary>
/// The real daemon behind each real MTA: <c>authfilter serve</c>'s host in-process with its own
/// zone file and policy, the MTA started from the samples, mail sent over SMTP from 127.0.0.1
/// with MailKit. Subclasses start one MTA, which also offers SMTP AUTH for <see cref="Submitter"/>.
/// </summary>
public abstract class DaemonMtaTests
{
    /// <summary>The one login each MTA's SMTP AUTH accepts (a Cyrus sasldb of the instance's own).</summary>
    protected static readonly SaslAccount Submitter = new("alice", "e2e-sasl-secret-7", "authfilter-e2e.test");

    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    private DaemonUnderTest? _daemon;

    /// <summary>Where the MTA listens for SMTP.</summary>
    protected abstract IPEndPoint SmtpEndPoint { get; }

    /// <summary>A recipient the MTA delivers to <see cref="Mailbox"/>.</summary>
    protected abstract string Recipient { get; }

    /// <summary>Delivered messages.</summary>
    protected abstract MtaMailbox Mailbox { get; }

    /// <summary>What the MTA sends as <c>{auth_authen}</c> after <see cref="Submitter"/> logged in.</summary>
    protected virtual string AuthenticatedUser => Submitter.UserName;

    /// <summary>Why the MTA (or its SASL setup) cannot run here, or null.</summary>
    protected abstract string? UnavailableReason();

    /// <summary>Starts the MTA with its milter at <paramref name="milter"/> and SMTP AUTH for <paramref name="submitter"/>.</summary>
    protected abstract Task StartMtaAsync(IPEndPoint milter, SaslAccount submitter, CancellationToken cancellationToken);

    /// <summary>The MTA's own log, written out when a test fails.</summary>
    protected abstract string MtaLog();

    /// <summary>Stops the MTA.</summary>
    protected abstract ValueTask StopMtaAsync();

    /// <summary>Waits for the quarantined message with <paramref name="subject"/>.</summary>
    protected abstract Task<MtaQueuedMessage> WaitForQuarantinedAsync(string subject, TimeSpan bound, CancellationToken cancellationToken);

    /// <summary>Asserts what the MTA keeps of a quarantine.</summary>
    protected abstract void AssertQuarantined(MtaQueuedMessage held);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        MtaRequirement.Require(UnavailableReason());
        _daemon = await DaemonUnderTest.StartAsync(CancellationToken.None);
        await StartMtaAsync(_daemon.EndPoint, Submitter, CancellationToken.None);
    }

    [TearDown]
    public async Task WriteMtaLogOnFailureAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync($"{GetType().Name}: the MTA's log:\n{MtaLog()}");
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await StopMtaAsync();
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }

    [Test]
    public async Task Aligned_signed_message_is_delivered_with_our_header_on_top_and_the_forged_one_removed()
    {
        string subject = NewSubject();
        string extra = $"Authentication-Results: {DaemonZone.AuthservId}; dmarc=pass header.from={DaemonZone.Good}\r\n"
            + "Authentication-Results: relay.elsewhere.test; spf=pass smtp.mailfrom=" + DaemonZone.Good + "\r\n";
        await SendAsync(DaemonZone.Signed(Message(DaemonZone.Good, subject, extra)));

        byte[] raw = await Mailbox.WaitForMessageAsync(subject, s_bound, CancellationToken.None);
        MimeMessage delivered = await MimeMessage.LoadAsync(new MemoryStream(raw));
        List<Header> headers = WithoutDeliveryHeaders(delivered.Headers);
        List<string> ours = [];
        List<string> foreign = [];
        foreach (Header header in delivered.Headers)
        {
            if (header.Id == HeaderId.AuthenticationResults)
            {
                (header.Value.TrimStart().StartsWith(DaemonZone.AuthservId + ";", StringComparison.Ordinal) ? ours : foreign).Add(header.Value);
            }
        }

        await TestContext.Out.WriteLineAsync($"{GetType().Name}: delivered header fields, top down: " + string.Join(", ", headers.ConvertAll(h => h.Field)));
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: our header: {headers[0].Value}");
        Assert.Multiple(() =>
        {
            Assert.That(headers[0].Field, Is.EqualTo("Authentication-Results"), "ours is the very top (milter index 0)");
            Assert.That(headers[0].Value.TrimStart(), Does.StartWith(DaemonZone.AuthservId + ";"));
            Assert.That(headers[1].Field, Is.EqualTo("Received"), "the MTA's own Received header ends up right below ours");
            Assert.That(ours, Has.Count.EqualTo(1), "the forged header claiming our authserv-id is gone, ours is the only one");
            Assert.That(ours[0], Does.Contain("dkim=pass").And.Contain("header.d=" + DaemonZone.Good));
            Assert.That(ours[0], Does.Contain("spf=pass"));
            Assert.That(ours[0], Does.Contain("dmarc=pass"));
            Assert.That(foreign, Has.Count.EqualTo(1), "the foreign authserv-id's header is kept");
            Assert.That(foreign[0], Does.Contain("relay.elsewhere.test;"));
        });
    }

    [Test]
    public async Task Dmarc_reject_failure_gets_550_5_7_1_at_end_of_data()
    {
        string subject = NewSubject();
        SmtpCommandException exception = await SendExpectingFailureAsync(Message(DaemonZone.Reject, subject));
        Assert.Multiple(() =>
        {
            Assert.That((int)exception.StatusCode, Is.EqualTo(550));
            Assert.That(exception.Message, Does.StartWith("5.7.1 Message rejected: DMARC policy of " + DaemonZone.Reject + " ("), "the policy's default reply");
            Assert.That(exception.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted), "refused at end of DATA");
            Assert.That(Mailbox.Contains(subject), Is.False);
        });
    }

    [Test]
    public async Task Dmarc_quarantine_failure_is_held_by_the_MTA()
    {
        string subject = NewSubject();
        await SendAsync(Message(DaemonZone.Quarantine, subject));

        MtaQueuedMessage held = await WaitForQuarantinedAsync(subject, s_bound, CancellationToken.None);
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: held {held.QueueId} in {held.QueueName}, reason {held.Reason ?? "(none)"}");
        AssertQuarantined(held);
        Assert.Multiple(() =>
        {
            Assert.That(held.Text, Does.Contain(DaemonZone.AuthservId + ";"), "our header is on the held message");
            Assert.That(held.Text, Does.Contain("dmarc=fail"));
            Assert.That(Mailbox.Contains(subject), Is.False);
        });
    }

    [Test]
    public async Task Dns_timeout_gets_451_4_7_x_at_end_of_data()
    {
        string subject = NewSubject();
        SmtpCommandException exception = await SendExpectingFailureAsync(Message(DaemonZone.Slow, subject));
        Assert.Multiple(() =>
        {
            Assert.That((int)exception.StatusCode, Is.EqualTo(451));
            Assert.That(exception.Message, Does.Match(@"^4\.7\.\d{1,3} "));
            Assert.That(exception.Message, Does.Contain("Temporary failure checking " + DaemonZone.Slow), "the policy's default tempfail reply");
            Assert.That(exception.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted), "refused at end of DATA");
            Assert.That(Mailbox.Contains(subject), Is.False);
        });
    }

    [Test]
    public async Task Authenticated_submission_is_recorded_not_judged_and_the_same_message_without_auth_gets_550_5_7_1()
    {
        // From and MAIL FROM in a domain with p=reject whose SPF denies 127.0.0.1 and which has no
        // DKIM key: DMARC fails. Only SMTP AUTH differs between the two sends.
        string subject = NewSubject();
        var sender = new MailboxAddress(null, $"{subject}@{DaemonZone.Reject}");
        byte[] raw = Message(DaemonZone.Reject, subject);

        SmtpCommandException refused = await SendExpectingFailureAsync(raw, sender);
        await SendAsync(raw, sender, Submitter);

        byte[] delivered = await Mailbox.WaitForMessageAsync(subject, s_bound, CancellationToken.None);
        MimeMessage message = await MimeMessage.LoadAsync(new MemoryStream(delivered));
        List<Header> headers = WithoutDeliveryHeaders(message.Headers);
        int ours = 0;
        foreach (Header header in headers)
        {
            ours += header.Id == HeaderId.AuthenticationResults && header.Value.TrimStart().StartsWith(DaemonZone.AuthservId + ";", StringComparison.Ordinal) ? 1 : 0;
        }

        List<string> judged = _daemon!.Log.JudgedLines.Where(line => line.Contains("mailfrom=" + sender.Address + " ", StringComparison.Ordinal)).ToList();
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: authenticated submission, our header: {headers[0].Value}");
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: daemon log: " + string.Join(" | ", judged));
        Assert.Multiple(() =>
        {
            Assert.That((int)refused.StatusCode, Is.EqualTo(550), "without AUTH the message is judged");
            Assert.That(refused.Message, Does.StartWith("5.7.1 Message rejected: DMARC policy of " + DaemonZone.Reject + " ("));
            Assert.That(refused.ErrorCode, Is.EqualTo(SmtpErrorCode.MessageNotAccepted), "refused at end of DATA");

            // With AUTH: delivered, and still recorded in our header with the results as they are.
            Assert.That(headers[0].Field, Is.EqualTo("Authentication-Results"), "ours is the very top (milter index 0)");
            Assert.That(headers[0].Value.TrimStart(), Does.StartWith(DaemonZone.AuthservId + ";"));
            Assert.That(ours, Is.EqualTo(1));
            Assert.That(headers[0].Value, Does.Contain("spf=fail").And.Contain("smtp.mailfrom=" + sender.Address));
            Assert.That(headers[0].Value, Does.Contain("dmarc=fail").And.Contain("header.from=" + DaemonZone.Reject));
            Assert.That(headers[0].Value, Does.Contain("policy.dmarc=reject"), "the domain's policy is recorded");
            Assert.That(headers[0].Value, Does.Contain("disposition=none"), "what we did: nothing, the submitter is not judged");
            Assert.That(headers[0].Value, Does.Contain("auth=pass").And.Contain("smtp.auth=" + AuthenticatedUser), "RFC 8601 §2.7.4: the login is recorded");

            // The daemon saw {auth_authen} with the login, and said why it accepted.
            Assert.That(judged, Has.Count.EqualTo(2));
            Assert.That(judged[0], Does.Contain("verdict=reject"));
            Assert.That(judged[1], Does.Contain("verdict=accept"));
            Assert.That(judged[1], Does.Contain($"reason=\"authenticated submitter {AuthenticatedUser}: recorded, not judged\""));
        });
    }

    [Test]
    public async Task Smtp_auth_is_really_checked_by_the_MTA_a_wrong_password_is_refused()
    {
        using var client = new SmtpClient { LocalDomain = "client.authfilter-e2e.test" };
        await client.ConnectAsync(SmtpEndPoint.Address.ToString(), SmtpEndPoint.Port, SecureSocketOptions.None);
        HashSet<string> offered = [.. client.AuthenticationMechanisms];
        AuthenticationException? wrong = Assert.ThrowsAsync<AuthenticationException>(
            () => client.AuthenticateAsync(new SaslMechanismPlain(Submitter.UserName, Submitter.Password + "-wrong")));
        bool afterWrong = client.IsAuthenticated;
        await client.AuthenticateAsync(new SaslMechanismLogin(Submitter.UserName, Submitter.Password));
        bool afterRight = client.IsAuthenticated;
        await client.DisconnectAsync(quit: true);
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: AUTH offers {string.Join(' ', offered)}; wrong password: {wrong?.Message}");
        Assert.Multiple(() =>
        {
            Assert.That(offered, Is.EquivalentTo(new[] { "PLAIN", "LOGIN" }), "PLAIN and LOGIN only (our SASL config's mech_list; Sendmail's confAUTH_MECHANISMS), offered without TLS on loopback");
            Assert.That(wrong, Is.Not.Null);
            Assert.That(afterWrong, Is.False);
            Assert.That(afterRight, Is.True, "the right password logs in (with LOGIN, the other mechanism)");
        });
    }

    private static string NewSubject() => "authfilter-daemon-e2e-" + Guid.NewGuid().ToString("N");

    private byte[] Message(string fromDomain, string subject, string extraHeaders = "")
    {
        string text = extraHeaders
            + $"From: Alice <alice@{fromDomain}>\r\n"
            + $"To: <{Recipient}>\r\n"
            + $"Subject: {subject}\r\n"
            + "Date: Wed, 25 Nov 2026 21:00:00 +0000\r\n"
            + $"Message-ID: <{subject}@{fromDomain}>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "Hello Bob,\r\n\r\nthe figures are attached.\r\n";
        return Encoding.ASCII.GetBytes(text);
    }

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

    private async Task SendAsync(byte[] raw, MailboxAddress? sender = null, SaslAccount? login = null)
    {
        MimeMessage message = await MimeMessage.LoadAsync(new MemoryStream(raw));
        using var client = new SmtpClient { LocalDomain = "client.authfilter-e2e.test" };
        await client.ConnectAsync(SmtpEndPoint.Address.ToString(), SmtpEndPoint.Port, SecureSocketOptions.None);
        if (login is not null)
        {
            // PLAIN (RFC 4616) without TLS: loopback only, and the MTA offers it (smtpd_tls_auth_only=no).
            await client.AuthenticateAsync(new SaslMechanismPlain(login.UserName, login.Password));
            Assert.That(client.IsAuthenticated, Is.True, "the MTA accepted the login");
        }

        await (sender is null ? client.SendAsync(message) : client.SendAsync(message, sender, message.To.Mailboxes));
        await client.DisconnectAsync(quit: true);
    }

    private async Task<SmtpCommandException> SendExpectingFailureAsync(byte[] raw, MailboxAddress? sender = null)
    {
        MimeMessage message = await MimeMessage.LoadAsync(new MemoryStream(raw));
        using var client = new SmtpClient { LocalDomain = "client.authfilter-e2e.test" };
        await client.ConnectAsync(SmtpEndPoint.Address.ToString(), SmtpEndPoint.Port, SecureSocketOptions.None);
        SmtpCommandException? exception = Assert.ThrowsAsync<SmtpCommandException>(
            () => sender is null ? client.SendAsync(message) : client.SendAsync(message, sender, message.To.Mailboxes));
        await client.DisconnectAsync(quit: true);
        await TestContext.Out.WriteLineAsync($"{GetType().Name}: {(int)exception!.StatusCode} {exception.Message}");
        return exception!;
    }
}
