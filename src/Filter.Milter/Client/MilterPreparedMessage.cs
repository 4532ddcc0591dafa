using System.Buffers;
using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>
/// A message encoded once, for one negotiation, into the exact bytes
/// <see cref="MilterClient.SendMessageAsync"/> writes for it: each step's macros and command from
/// MAIL through end of message, with the steps the milter negotiated away left out (their macros
/// kept) and header values trimmed unless SMFIP_HDR_LEADSPC was agreed (§8.1). A load tool
/// replaying a corpus sends the same commands for a message every time, so encoding them again per
/// send is pure overhead; <see cref="MilterClient.SendPreparedAsync"/> copies these bytes out,
/// flushes where <see cref="MilterClient.SendMessageAsync"/> would, and reads the replies without
/// building response objects. Immutable, so one instance may be shared by many connections that
/// negotiated the same <see cref="Protocol"/>.
/// </summary>
public sealed class MilterPreparedMessage
{
    private static readonly IReadOnlyList<string> s_noParameters = [];
    private static readonly IReadOnlyList<KeyValuePair<string, string>> s_noMacros = [];

    private MilterPreparedMessage(MilterClientMessage message, MilterProtocolFlags protocol, byte[] bytes, Step[] steps)
    {
        Message = message;
        Protocol = protocol;
        Bytes = bytes;
        Steps = steps;
    }

    /// <summary>The message as given.</summary>
    public MilterClientMessage Message { get; }

    /// <summary>The negotiated protocol bits (OPTNEG reply) the bytes were encoded for.</summary>
    public MilterProtocolFlags Protocol { get; }

    /// <summary>Every step's bytes back to back, MAIL's macros first, end of message last.</summary>
    internal byte[] Bytes { get; }

    /// <summary>The steps in order; step i covers Bytes[Steps[i-1].End .. Steps[i].End).</summary>
    internal Step[] Steps { get; }

    /// <summary>Encodes <paramref name="message"/> for a milter that negotiated <paramref name="protocol"/>.</summary>
    public static MilterPreparedMessage Create(MilterClientMessage message, MilterProtocolFlags protocol)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(256 + message.Body.Length);
        var steps = new List<Step>(8 + message.Recipients.Count + message.Headers.Count);

        AddStep(buffer, steps, message, protocol, MilterCommandCode.Mail, MilterProtocolFlags.NoMail,
            new MailCommand(message.Sender, message.SenderParameters));
        for (int r = 0; r < message.Recipients.Count; r++)
        {
            AddStep(buffer, steps, message, protocol, MilterCommandCode.Recipient, MilterProtocolFlags.NoRecipient,
                new RecipientCommand(message.Recipients[r], s_noParameters), lastRecipient: r == message.Recipients.Count - 1);
        }

        AddStep(buffer, steps, message, protocol, MilterCommandCode.Data, MilterProtocolFlags.NoData, DataCommand.Instance);

        bool leadingSpace = (protocol & MilterProtocolFlags.HeaderLeadingSpace) != 0;
        for (int h = 0; h < message.Headers.Count; h++)
        {
            HeaderCommand header = message.Headers[h];
            WriteMacros(buffer, message, MilterCommandCode.Header);
            bool sent = (protocol & MilterProtocolFlags.NoHeaders) == 0;
            if (sent)
            {
                // Without HDR_LEADSPC the MTA removes exactly one leading SP, never a TAB (§8.1).
                ReadOnlySpan<byte> value = header.RawValue.Span;
                HeaderCommand.WriteFrame(buffer, header.Name, !leadingSpace && value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value);
            }

            steps.Add(new Step(buffer.WrittenCount, MilterCommandCode.Header, sent && MilterClient.ExpectsReply(protocol, MilterCommandCode.Header), false));
        }

        AddStep(buffer, steps, message, protocol, MilterCommandCode.EndOfHeaders, MilterProtocolFlags.NoEndOfHeaders, EndOfHeadersCommand.Instance);

        int chunkSize = Math.Clamp(message.ChunkSize, 1, MilterLimits.MaxChunkSize);
        ReadOnlySpan<byte> body = message.Body.Span;
        for (int offset = 0; offset < body.Length; offset += chunkSize)
        {
            WriteMacros(buffer, message, MilterCommandCode.Body);
            bool sent = (protocol & MilterProtocolFlags.NoBody) == 0;
            if (sent)
            {
                BodyCommand.WriteFrame(buffer, body.Slice(offset, Math.Min(chunkSize, body.Length - offset)));
            }

            steps.Add(new Step(buffer.WrittenCount, MilterCommandCode.Body, sent && MilterClient.ExpectsReply(protocol, MilterCommandCode.Body), false));
        }

        // End of message is always sent and always answered (§5.11).
        WriteMacros(buffer, message, MilterCommandCode.EndOfMessage);
        MilterFrameWriter.Write(buffer, EndOfMessageCommand.Empty);
        steps.Add(new Step(buffer.WrittenCount, MilterCommandCode.EndOfMessage, true, false));

        return new MilterPreparedMessage(message, protocol, buffer.WrittenSpan.ToArray(), [.. steps]);
    }

    private static void AddStep(
        ArrayBufferWriter<byte> buffer, List<Step> steps, MilterClientMessage message, MilterProtocolFlags protocol,
        MilterCommandCode code, MilterProtocolFlags skipFlag, MilterCommand command, bool lastRecipient = false)
    {
        // MTAs send the macros of a step even when the step itself is negotiated away (§4.5).
        WriteMacros(buffer, message, code);
        bool sent = (protocol & skipFlag) == 0;
        if (sent)
        {
            MilterFrameWriter.Write(buffer, command);
        }

        steps.Add(new Step(buffer.WrittenCount, code, sent && MilterClient.ExpectsReply(protocol, code), lastRecipient));
    }

    private static void WriteMacros(ArrayBufferWriter<byte> buffer, MilterClientMessage message, MilterCommandCode stage)
    {
        if (message.Macros.TryGetValue(stage, out IReadOnlyList<KeyValuePair<string, string>>? macros))
        {
            MacroCommand.WriteFrame(buffer, stage, macros ?? s_noMacros);
        }
    }

    /// <summary>One step: where its bytes end, its command, whether the milter answers it.</summary>
    /// <param name="End">Offset just past the step's bytes (macros and command).</param>
    /// <param name="Code">The step's command (also when it was negotiated away and only its macros remain).</param>
    /// <param name="Answered">The command is sent and the milter replies to it.</param>
    /// <param name="LastRecipient">The last RCPT: when every recipient was refused the message ends here.</param>
    internal readonly record struct Step(int End, MilterCommandCode Code, bool Answered, bool LastRecipient);
}
