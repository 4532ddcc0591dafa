namespace Filter.Milter.Protocol;

/// <summary>Protocol constants and default limits (milter reference §2.1, §4).</summary>
public static class MilterLimits
{
    /// <summary>The protocol version we speak.</summary>
    public const uint ProtocolVersion = 6;

    /// <summary>The oldest MTA version we talk to: Postfix accepts only 2, 3, 4 and 6 (§4.5).</summary>
    public const uint MinimumProtocolVersion = 2;

    /// <summary>MILTER_CHUNK_SIZE: the largest body chunk and the largest payload we ever send.</summary>
    public const int MaxChunkSize = 65535;

    /// <summary>
    /// Default limit on a received payload (len - 1). Postfix sends folded headers longer than
    /// 64 KiB (its header_size_limit is 102400), so the reference recommends at least 1 MiB (§2.1).
    /// </summary>
    public const int DefaultMaxPayloadLength = 1024 * 1024;

    /// <summary>Bytes of the frame header: 4-byte length plus the code byte.</summary>
    public const int FrameHeaderLength = 5;
}
