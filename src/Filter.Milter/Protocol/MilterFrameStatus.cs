namespace Filter.Milter.Protocol;

/// <summary>Outcome of <see cref="MilterFrameReader.TryRead"/>.</summary>
internal enum MilterFrameStatus
{
    /// <summary>A whole frame was read and the buffer advanced past it.</summary>
    Complete,
    /// <summary>More bytes are needed; the buffer is unchanged.</summary>
    Incomplete,
    /// <summary>The frame header is invalid; the connection must be closed.</summary>
    Invalid,
}
