using Filter.Milter.Protocol;

namespace Filter.Milter.Client;

/// <summary>What a <see cref="MilterClient"/> offers in OPTNEG and how it behaves; defaults are Postfix's (reference §4.1).</summary>
public sealed record MilterClientOptions
{
    /// <summary>Offered protocol version. Default 6.</summary>
    public uint Version { get; init; } = MilterLimits.ProtocolVersion;

    /// <summary>Offered actions. Default 0x1FF, as Postfix and Sendmail offer.</summary>
    public MilterActionFlags Actions { get; init; } = MilterActionFlags.All;

    /// <summary>Offered protocol bits. Default 0x1FFFFF, as Postfix 2.6+ and Sendmail 8.14+ offer.</summary>
    public MilterProtocolFlags Protocol { get; init; } = MilterProtocolFlags.AllDefined;

    /// <summary>Largest response payload accepted. Default 1 MiB.</summary>
    public int MaxPayloadLength { get; init; } = MilterLimits.DefaultMaxPayloadLength;

    /// <summary>Send ABORT after every message, as Postfix does (reference §5.13). Default true.</summary>
    public bool AbortAfterMessage { get; init; } = true;

    /// <summary>
    /// In <see cref="MilterClient.SendMessageAsync"/>, keep commands the milter does not answer
    /// (MACRO, ABORT and the steps negotiated with SMFIP_NR_*) in the send buffer until the buffer
    /// holds <see cref="CoalesceBufferSize"/> bytes or a command that is answered follows, as
    /// Postfix does (milter8.c writes each packet into a 4 KiB VSTREAM and flushes it only when it
    /// is full or a reply is read). Default true. False writes every command at once, as Sendmail
    /// does (one write per packet).
    /// </summary>
    public bool CoalesceUnansweredCommands { get; init; } = true;

    /// <summary>Buffered bytes that force a write when coalescing. Default 4096 (Postfix's VSTREAM_BUFSIZE).</summary>
    public int CoalesceBufferSize { get; init; } = 4096;
}
