using Filter.Milter.Client;
using Filter.Milter.Protocol;
using Filter.Milter.Session;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Session;

/// <summary>Sessions scripted through in-memory pipes: raw bytes where exact replies matter, the client elsewhere.</summary>
public sealed class MilterSessionTests
{
    private static readonly NegotiateCommand s_postfixOffer = new(6, MilterActionFlags.All, MilterProtocolFlags.AllDefined);

    /// <summary>An observer: sees everything, decides only at end of message.</summary>
    private static readonly MilterCapabilities s_observer = new(MilterSteps.All, MilterSteps.None,
        MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine, []);

    /// <summary>Sees and may answer every step.</summary>
    private static readonly MilterCapabilities s_decisive = new(MilterSteps.All, MilterSteps.All,
        MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine, []);

    private static MilterCommand[] OneMessage(string queueId = "4QX2Lm0Zk9z") =>
    [
        new MacroCommand(MilterCommandCode.Mail, [new("{mail_addr}", "alice@example.org")]),
        new MailCommand("<alice@example.org>", ["SIZE=64"]),
        new MacroCommand(MilterCommandCode.Recipient, [new("{rcpt_addr}", "bob@example.net")]),
        new RecipientCommand("<bob@example.net>", []),
        new MacroCommand(MilterCommandCode.Data, [new("i", queueId)]),
        DataCommand.Instance,
        new MacroCommand(MilterCommandCode.Header, [new("i", queueId)]),
        new HeaderCommand("From", "alice@example.org"),
        new MacroCommand(MilterCommandCode.Header, [new("i", queueId)]),
        new HeaderCommand("Subject", "Hi"),
        new MacroCommand(MilterCommandCode.EndOfHeaders, [new("i", queueId)]),
        EndOfHeadersCommand.Instance,
        new MacroCommand(MilterCommandCode.Body, [new("i", queueId)]),
        new BodyCommand("Hello\r\n"u8.ToArray().AsMemory()),
        new MacroCommand(MilterCommandCode.EndOfMessage, [new("i", queueId)]),
        EndOfMessageCommand.Empty,
        AbortCommand.Instance,
    ];

    private static MilterCommand[] Opening() =>
    [
        s_postfixOffer,
        new MacroCommand(MilterCommandCode.Connect, [new("j", "mx.example.net"), new("{daemon_name}", "mx.example.net")]),
        new ConnectCommand("client.example.org", ConnectFamily.Inet, 49152, "198.51.100.7"),
        new MacroCommand(MilterCommandCode.Helo, []),
        new HeloCommand("client.example.org"),
    ];

    private static MilterCommand[] Script(params MilterCommand[][] parts) => parts.SelectMany(p => p).ToArray();

    [Test]
    public async Task No_reply_steps_are_never_answered()
    {
        var factory = new RecordingHandlerFactory(s_observer)
        {
            EndOfMessage = _ => new MilterMessageEdits().AddHeader("X-Checked", "yes").ToOutcome(MilterDecision.Continue),
        };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();

        // OPTNEG reply, then only the end-of-message answer: every other step was negotiated NR.
        Assert.That(Frames.Codes(responses), Is.EqualTo("Ohc"));
        var reply = (NegotiateResponse)responses[0];
        Assert.That(reply.Protocol & MilterProtocolFlags.AllNoReply, Is.EqualTo(MilterProtocolFlags.AllNoReply));
        Assert.That(responses[1], Is.EqualTo(new AddHeaderResponse("X-Checked", "yes")));
        Assert.That(factory.Events, Is.EqualTo(new[]
        {
            "connect client.example.org 4 49152 198.51.100.7", "helo client.example.org", "mail <alice@example.org> SIZE=64", "rcpt <bob@example.net>", "data",
            "header From=alice@example.org #1@0", "header Subject=Hi #1@1", "eoh", "body 7", "eom", "close",
        }));
    }

    [Test]
    public async Task Cancelling_the_token_ends_a_waiting_session_and_closes_its_handler()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        using var cancel = new CancellationTokenSource();
        InMemorySession session = InMemorySession.Start(factory, cancellationToken: cancel.Token);
        await session.WriteAsync(Script(Opening()));
        await WaitUntilAsync(() => factory.Events.Contains("helo client.example.org"));

        // The session now waits in a read: the token, watched once per session, must end it.
        await cancel.CancelAsync();
        await session.Run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(factory.Events[^1], Is.EqualTo("close"));
            Assert.That(session.Logger.Entries.Any(e => e.Message.Contains("cancelled", StringComparison.Ordinal)), Is.True, "ended as cancelled");
        });
    }

    [Test]
    public async Task A_session_started_with_a_cancelled_token_ends_at_once()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        InMemorySession session = InMemorySession.Start(factory, cancellationToken: cancel.Token);

        await session.Run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(session.Logger.Entries.Any(e => e.Message.Contains("cancelled", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_header_that_spans_receive_buffer_segments_reaches_the_handler_whole()
    {
        // Fed one byte at a time, the pipe cuts the 6,000-byte value across its 4 KiB segments:
        // the session gathers it instead of handing over the first piece.
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        string big = string.Concat(Enumerable.Range(0, 600).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + "abcdefghi"));
        MilterCommand[] message = OneMessage();
        message[9] = new HeaderCommand("X-Long", big);
        await session.WriteAsync(Frames.Encode(Script(Opening(), message, [QuitCommand.Instance])), oneByteAtATime: true);
        await session.WaitForEndAsync();
        Assert.That(factory.Events, Does.Contain($"header X-Long={big} #1@1"));
    }

    [Test]
    public async Task No_reply_bits_the_mta_does_not_offer_are_emulated_with_continue()
    {
        // Protocol version 2 era offer: no NR bits, so every step must be answered (reference §4.5).
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        MilterCommand[] script = Script(Opening(), OneMessage(), [QuitCommand.Instance]);
        script[0] = new NegotiateCommand(2, MilterActionFlags.All, (MilterProtocolFlags)0x7F);
        await session.WriteAsync(script.Where(c => c is not DataCommand).ToArray());
        List<MilterResponse> responses = await session.WaitForEndAsync();

        // O, then C H M R L L N B answered with CONTINUE, then the final answer.
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occcccccc" + "c"));
        Assert.That(((NegotiateResponse)responses[0]).Version, Is.EqualTo(2u));
    }

    [Test]
    public async Task Reply_steps_get_the_handler_decision()
    {
        var factory = new RecordingHandlerFactory(s_decisive)
        {
            Decide = step => step == "rcpt" ? MilterDecision.Reject(SmtpReply.Create(550, "5.1.1", "No such user")) : MilterDecision.Continue,
        };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occcycccccc"));
        Assert.That(responses[4], Is.EqualTo(new ReplyCodeResponse("550 5.1.1 No such user")));
    }

    [Test]
    public async Task Fed_one_byte_at_a_time_the_session_answers_the_same()
    {
        var factory = new RecordingHandlerFactory(s_decisive);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Frames.Encode(Script(Opening(), OneMessage(), [QuitCommand.Instance])), oneByteAtATime: true);
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occcccccccc"));
        Assert.That(factory.Events, Has.Member("header Subject=Hi #1@1"));
    }

    [Test]
    public async Task Macros_are_kept_per_stage_and_visible_to_the_handler()
    {
        var factory = new RecordingHandlerFactory(s_observer) { MacroProbes = ["j", "{mail_addr}", "{rcpt_addr}", "i"] };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage("Q1"), OneMessage("Q2")[..2], [QuitCommand.Instance]));
        await session.WaitForEndAsync();
        List<string> events = [.. factory.Events];
        Assert.Multiple(() =>
        {
            Assert.That(Slice(events, "connect"), Is.EqualTo(new[] { "  j=mx.example.net" }));
            Assert.That(Slice(events, "mail"), Is.EqualTo(new[] { "  j=mx.example.net", "  {mail_addr}=alice@example.org" }));
            Assert.That(Slice(events, "rcpt"), Is.EqualTo(new[] { "  j=mx.example.net", "  {mail_addr}=alice@example.org", "  {rcpt_addr}=bob@example.net" }));
            Assert.That(Slice(events, "eom"), Has.Member("  i=Q1"));

            // The second message's MAIL sees its own macros, not the first message's queue id.
            int second = events.ToList().LastIndexOf("mail <alice@example.org> SIZE=64");
            Assert.That(events.Skip(second + 1).TakeWhile(e => e.StartsWith("  ", StringComparison.Ordinal)), Has.No.Member("  i=Q1"));
        });
    }

    [Test]
    public async Task Several_messages_on_one_connection_each_start_fresh()
    {
        var factory = new RecordingHandlerFactory(s_observer)
        {
            EndOfMessage = context => new MilterMessageEdits().AddHeader("X-Count", context.HeaderCount.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToOutcome(MilterDecision.Continue),
        };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage("Q1"), OneMessage("Q2"), OneMessage("Q3"), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Ohchchc"));
        Assert.That(responses.OfType<AddHeaderResponse>().Select(h => h.Value), Is.EqualTo(new[] { "2", "2", "2" }), "header counts reset per message");
        Assert.That(factory.Events.Count(e => e == "header From=alice@example.org #1@0"), Is.EqualTo(3), "occurrences and positions reset per message");
        Assert.That(factory.Events.Count(e => e == "abort"), Is.Zero, "Postfix's ABORT after a completed message is not an abort of it");
        Assert.That(factory.Created, Is.EqualTo(1));
    }

    [Test]
    public async Task Sendmail_style_messages_without_abort_between_them_are_not_aborted()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage()[..^1], OneMessage()[..^1], [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occ"));
        Assert.That(factory.Events, Has.No.Member("abort"));
        Assert.That(factory.Events.Count(e => e == "eom"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_header_packet_larger_than_64_kib_is_accepted()
    {
        // Postfix sends folded headers up to its header_size_limit of 102400 bytes in one packet (reference pitfall 11).
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        MilterCommand[] message = OneMessage();
        string big = string.Join("\n\t", Enumerable.Repeat(new string('a', 76), 1300));
        message[9] = new HeaderCommand("X-Big", big);
        await session.WriteAsync(Script(Opening(), message, [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(big.Length, Is.GreaterThan(100_000));
        Assert.That(Frames.Codes(responses), Is.EqualTo("Oc"));
        Assert.That(factory.Events, Has.Member($"header X-Big={big} #1@1"));
    }

    [Test]
    public async Task Abort_mid_message_resets_it_and_the_next_message_works()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        MilterCommand[] first = OneMessage("Q1")[..10];
        await session.WriteAsync(Script(Opening(), first, [AbortCommand.Instance, AbortCommand.Instance], OneMessage("Q2"), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Oc"));
        List<string> events = [.. factory.Events];
        Assert.Multiple(() =>
        {
            Assert.That(events.Count(e => e == "abort"), Is.EqualTo(1), "a duplicate ABORT is a no-op");
            Assert.That(events.IndexOf("abort"), Is.EqualTo(events.IndexOf("header Subject=Hi #1@1") + 1));
            Assert.That(events.Count(e => e == "eom"), Is.EqualTo(1));
            Assert.That(events.Last(e => e.StartsWith("header Subject", StringComparison.Ordinal)), Is.EqualTo("header Subject=Hi #1@1"));
        });
    }

    [Test]
    public async Task A_new_mail_or_helo_inside_a_message_aborts_it()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage()[..4], OneMessage()[..4], [new HeloCommand("again")], [QuitCommand.Instance]));
        await session.WaitForEndAsync();
        Assert.That(factory.Events.Where(e => e is "abort" or "helo again" || e.StartsWith("mail", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "mail <alice@example.org> SIZE=64", "abort", "mail <alice@example.org> SIZE=64", "abort", "helo again" }));
    }

    [Test]
    public async Task Quit_nc_starts_a_new_smtp_session_on_the_same_connection()
    {
        var factory = new RecordingHandlerFactory(s_observer) { MacroProbes = ["j"] };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(
            Opening(), OneMessage(), [QuitNewConnectionCommand.Instance],
            [new ConnectCommand("second.example.org", ConnectFamily.Inet, 1, "192.0.2.2")],
            OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occ"), "no second OPTNEG: the negotiation stays");
        List<string> events = [.. factory.Events];
        int second = events.IndexOf("connect second.example.org 4 1 192.0.2.2");
        Assert.Multiple(() =>
        {
            Assert.That(factory.Created, Is.EqualTo(2));
            Assert.That(events.IndexOf("close"), Is.LessThan(second), "the first session is closed before the second connects");
            Assert.That(events.Skip(events.IndexOf("close") + 1).Take(second - events.IndexOf("close") - 1).All(e => e.StartsWith("  ", StringComparison.Ordinal)), Is.True);
            Assert.That(events[second + 1], Does.Not.StartWith("  j="), "macros are cleared by QUIT_NC");
            Assert.That(events.Count(e => e == "close"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Unknown_command_closes_the_connection_with_a_log_line()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Frames.Encode(Opening()));
        await session.WriteAsync(Frames.Hex("00000001 5A"));
        await session.WriteAsync(Frames.Encode(OneMessage()));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Frames.Codes(responses), Is.EqualTo("O"));
            Assert.That(session.Logger.Has(1711), Is.True);
            Assert.That(factory.Events, Has.No.Member("mail <alice@example.org> SIZE=64"), "nothing after the bad command is processed");
            Assert.That(factory.Events[^1], Is.EqualTo("close"));
        });
    }

    [TestCase("00000000", TestName = "zero-length packet")]
    [TestCase("7FFFFFFF 42", TestName = "oversized packet")]
    [TestCase("47455420", TestName = "garbage")]
    [TestCase("00000004 43 6800 5A", TestName = "malformed CONNECT")]
    public async Task Malformed_packets_close_the_connection_with_a_log_line(string hex)
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Frames.Encode(s_postfixOffer));
        await session.WriteAsync(Frames.Hex(hex));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("O"));
        Assert.That(session.Logger.Has(1710), Is.True);
    }

    [Test]
    public async Task A_command_before_negotiation_closes_the_connection()
    {
        InMemorySession session = InMemorySession.Start(new RecordingHandlerFactory(s_observer));
        await session.WriteAsync(new HeloCommand("early"));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(responses, Is.Empty);
        Assert.That(session.Logger.Has(1710), Is.True);
    }

    [Test]
    public async Task The_header_byte_limit_rejects_the_message_and_the_handler_hears_an_abort()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory, new MilterSessionOptions { MaxHeaderBytes = 30 });
        MilterCommand[] message = OneMessage();
        message[9] = new HeaderCommand("Subject", new string('x', 40));
        await session.WriteAsync(Script(Opening(), message, OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();

        // Headers, EOH and body are NR steps: the rejection goes out at end of message.
        Assert.That(Frames.Codes(responses), Is.EqualTo("Oyc"));
        Assert.That(((ReplyCodeResponse)responses[1]).Text, Is.EqualTo("552 5.3.4 Message header section too large"));
        List<string> events = [.. factory.Events];
        Assert.Multiple(() =>
        {
            Assert.That(events, Has.No.Member("header Subject=" + new string('x', 40) + " #1@1"));
            Assert.That(events.Count(e => e == "abort"), Is.EqualTo(1));
            Assert.That(events.Count(e => e == "eom"), Is.EqualTo(1), "only the second message reaches end of message");
            Assert.That(session.Logger.Has(1721), Is.True);
        });
    }

    [Test]
    public async Task The_header_count_limit_answers_at_the_first_reply_step()
    {
        var factory = new RecordingHandlerFactory(s_decisive);
        InMemorySession session = InMemorySession.Start(factory, new MilterSessionOptions { MaxHeaderCount = 1 });
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();

        // C H M R T L(From) = c; L(Subject) over the limit = y; N, B, E keep answering the verdict.
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occcccc" + "yyyy"));
    }

    [Test]
    public async Task A_handler_bug_tempfails_that_message_only()
    {
        var factory = new RecordingHandlerFactory(s_decisive) { ThrowAt = "data" };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occccyyyyyy"));
        Assert.That(((ReplyCodeResponse)responses[5]).Text, Is.EqualTo("451 4.3.0 Temporary filter failure"));
        Assert.That(session.Logger.Has(1720), Is.True);
        Assert.That(factory.Events, Has.No.Member("eom"));
    }

    [Test]
    public async Task A_handler_bug_at_end_of_message_tempfails_it()
    {
        var factory = new RecordingHandlerFactory(s_observer) { ThrowAt = "eom" };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Oyy"));
    }

    [Test]
    public async Task All_end_of_message_responses_go_out_in_one_flush()
    {
        var factory = new RecordingHandlerFactory(s_observer)
        {
            EndOfMessage = _ => new MilterMessageEdits()
                .DeleteHeader("Authentication-Results", 1)
                .InsertHeader(0, "Authentication-Results", "mx.example.net; spf=pass smtp.mailfrom=example.org")
                .Quarantine("dmarc=fail")
                .ToOutcome(MilterDecision.Continue),
        };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Omiqc"));
        int endOfMessageBytes = Frames.Encode(responses.Skip(1).ToArray()).Length;
        Assert.That(session.Output.Flushes, Is.EqualTo(new[] { Frames.Encode(responses[0]).Length, endOfMessageBytes }));
    }

    [Test]
    public async Task Modifications_that_were_not_negotiated_are_dropped_with_a_log_line()
    {
        var factory = new RecordingHandlerFactory(s_observer)
        {
            EndOfMessage = _ => new MilterMessageEdits().AddHeader("X-Ok", "1").AddRecipient("<x@example.net>").ToOutcome(MilterDecision.Continue),
        };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Ohc"));
        Assert.That(session.Logger.Has(1722), Is.True);
    }

    [Test]
    public async Task The_client_vanishing_mid_message_aborts_and_closes_the_handler()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        byte[] bytes = Frames.Encode(Script(Opening(), OneMessage()[..10]));
        await session.WriteAsync(bytes[..^3]);
        List<MilterResponse> responses = await session.FinishAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("O"));
        Assert.That(factory.Events.TakeLast(2), Is.EqualTo(new[] { "abort", "close" }));
        Assert.That(session.Logger.Has(1712), Is.True);
    }

    [Test]
    public async Task Skip_is_sent_after_a_body_chunk_only_where_offered()
    {
        var factory = new RecordingHandlerFactory(s_decisive) { Decide = step => step == "body" ? MilterDecision.Skip : MilterDecision.Continue };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Occccccccsc"));
        Assert.That(((NegotiateResponse)responses[0]).Protocol.HasFlag(MilterProtocolFlags.Skip), Is.True);
    }

    [Test]
    public async Task A_payload_on_end_of_message_is_a_last_body_chunk()
    {
        var factory = new RecordingHandlerFactory(s_observer);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), [new MailCommand("<a@b>", []), new EndOfMessageCommand(new System.Buffers.ReadOnlySequence<byte>("tail"u8.ToArray())), QuitCommand.Instance]));
        await session.WaitForEndAsync();
        Assert.That(factory.Events.SkipWhile(e => !e.StartsWith("mail", StringComparison.Ordinal)), Is.EqualTo(new[] { "mail <a@b>", "body 4", "eom", "close" }));
    }

    [Test]
    public async Task Progress_goes_out_only_while_the_mta_waits_for_a_reply()
    {
        var sent = new List<bool>();
        var factory = new ProgressFactory(sent);
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage(), [QuitCommand.Instance]));
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Opc"));
        Assert.That(sent, Is.EqualTo(new[] { false, true }), "not at HELO (a no-reply step), yes at end of message");
    }

    [Test]
    public async Task A_drain_request_ends_an_idle_session_at_once_and_a_busy_one_after_its_message()
    {
        var gate = new TaskCompletionSource();
        var factory = new RecordingHandlerFactory(s_observer) { EndOfMessageGate = gate };
        InMemorySession session = InMemorySession.Start(factory);
        await session.WriteAsync(Script(Opening(), OneMessage()));
        while (!factory.Events.Contains("eom"))
        {
            await Task.Delay(10);
        }

        session.Session.RequestDrain();
        Assert.That(session.Run.IsCompleted, Is.False, "a message is in flight");
        gate.SetResult();
        List<MilterResponse> responses = await session.WaitForEndAsync();
        Assert.That(Frames.Codes(responses), Is.EqualTo("Oc"), "the message in flight got its answer before the close");

        InMemorySession idle = InMemorySession.Start(new RecordingHandlerFactory(s_observer));
        await idle.WriteAsync(Opening());
        await Task.Delay(50);
        idle.Session.RequestDrain();
        Assert.That(Frames.Codes(await idle.WaitForEndAsync()), Is.EqualTo("O"));
    }

    [Test]
    public async Task The_client_drives_a_whole_message_and_collects_the_edits()
    {
        var factory = new RecordingHandlerFactory(s_observer with { Steps = MilterSteps.Connect | MilterSteps.Mail | MilterSteps.Header | MilterSteps.EndOfHeaders | MilterSteps.Body })
        {
            EndOfMessage = _ => new MilterMessageEdits()
                .InsertHeader(0, "Authentication-Results", "mx.example.net; dmarc=fail")
                .Quarantine("dmarc=fail header.from=example.org")
                .ToOutcome(MilterDecision.Continue),
        };
        InMemorySession session = InMemorySession.Start(factory);
        await using MilterClient client = session.CreateClient();
        NegotiateResponse negotiated = await client.NegotiateAsync(CancellationToken.None);
        Assert.That(negotiated.Protocol.HasFlag(MilterProtocolFlags.NoHelo | MilterProtocolFlags.NoRecipient | MilterProtocolFlags.NoData), Is.True);

        MilterReply connect = await client.SendConnectAsync(new ConnectCommand("client.example.org", ConnectFamily.Inet, 1234, "192.0.2.1"), CancellationToken.None);
        Assert.That(connect, Is.SameAs(MilterReply.None), "CONNECT is a no-reply step for an observer");
        var message = MilterClientMessage.Parse("From: alice@example.org\r\nSubject:  two spaces\r\n\tfolded\r\n\r\nHello\r\n"u8.ToArray(), "<alice@example.org>", ["<bob@example.net>"]);
        MilterMessageResult result = await client.SendMessageAsync(message, CancellationToken.None);
        await client.SendQuitAsync(CancellationToken.None);
        await session.Run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.Accept));
            Assert.That(result.DecidedAt, Is.EqualTo(MilterCommandCode.EndOfMessage));
            Assert.That(result.QuarantineReason, Is.EqualTo("dmarc=fail header.from=example.org"));
            Assert.That(result.HeaderEdits, Is.EqualTo(new[] { new InsertHeaderResponse(0, "Authentication-Results", "mx.example.net; dmarc=fail") }));
            Assert.That(factory.Events, Is.EqualTo(new[]
            {
                "connect client.example.org 4 1234 192.0.2.1", "mail <alice@example.org>",
                "header From=alice@example.org #1@0", "header Subject= two spaces\n\tfolded #1@1", "eoh", "body 7", "eom", "close",
            }));
        });
    }

    [Test]
    public async Task The_client_stops_at_an_early_reject_as_an_mta_would()
    {
        var factory = new RecordingHandlerFactory(s_decisive)
        {
            Decide = step => step == "mail" ? MilterDecision.TempFail(SmtpReply.Create(451, "4.7.1", "Try later")) : MilterDecision.Continue,
        };
        InMemorySession session = InMemorySession.Start(factory);
        await using MilterClient client = session.CreateClient();
        await client.NegotiateAsync(CancellationToken.None);
        var message = new MilterClientMessage("<a@example.org>", ["<b@example.net>"], [new HeaderCommand("Subject", " x")], "body\r\n"u8.ToArray());
        MilterMessageResult result = await client.SendMessageAsync(message, CancellationToken.None);
        await client.SendQuitAsync(CancellationToken.None);
        await session.Run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(result.Action, Is.EqualTo(MilterMessageAction.TempFail));
            Assert.That(result.DecidedAt, Is.EqualTo(MilterCommandCode.Mail));
            Assert.That(result.ReplyText, Is.EqualTo("451 4.7.1 Try later"));
            Assert.That(factory.Events, Has.No.Member("eom"));
            Assert.That(factory.Events, Has.Member("abort"), "the client sends ABORT after the refused message, as Postfix does");
        });
    }

    private static List<string> Slice(IReadOnlyList<string> events, string prefix)
    {
        int start = events.ToList().FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
        return events.Skip(start + 1).TakeWhile(e => e.StartsWith("  ", StringComparison.Ordinal)).ToList();
    }

    private sealed class ProgressFactory(List<bool> sent) : IMilterHandlerFactory
    {
        public MilterCapabilities Capabilities => s_observer;

        public IMilterHandler CreateHandler(MilterSessionInfo session) => new Handler(sent);

        private sealed class Handler(List<bool> sent) : IMilterHandler
        {
            public async ValueTask<MilterDecision> OnHeloAsync(HeloCommand helo, MilterContext context, CancellationToken cancellationToken)
            {
                sent.Add(await context.SendProgressAsync(cancellationToken));
                return MilterDecision.Continue;
            }

            public async ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken)
            {
                sent.Add(await context.SendProgressAsync(cancellationToken));
                return MilterMessageOutcome.Accept;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
