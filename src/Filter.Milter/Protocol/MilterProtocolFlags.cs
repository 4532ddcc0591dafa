namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIP_* bits of the OPTNEG "protocol" field (milter reference §4.4): steps to skip, steps the
/// milter will not answer (NR_*), and extras.
/// </summary>
[Flags]
public enum MilterProtocolFlags : uint
{
    /// <summary>No bits.</summary>
    None = 0,
    /// <summary>Do not send CONNECT.</summary>
    NoConnect = 0x00000001,
    /// <summary>Do not send HELO.</summary>
    NoHelo = 0x00000002,
    /// <summary>Do not send MAIL.</summary>
    NoMail = 0x00000004,
    /// <summary>Do not send RCPT.</summary>
    NoRecipient = 0x00000008,
    /// <summary>Do not send body chunks.</summary>
    NoBody = 0x00000010,
    /// <summary>Do not send headers.</summary>
    NoHeaders = 0x00000020,
    /// <summary>Do not send end-of-headers.</summary>
    NoEndOfHeaders = 0x00000040,
    /// <summary>No reply to headers (SMFIP_NR_HDR, formerly SMFIP_NOHREPL).</summary>
    NoReplyHeader = 0x00000080,
    /// <summary>Do not send UNKNOWN.</summary>
    NoUnknown = 0x00000100,
    /// <summary>Do not send DATA.</summary>
    NoData = 0x00000200,
    /// <summary>The MTA understands SKIP / the milter may send it.</summary>
    Skip = 0x00000400,
    /// <summary>Also send recipients the MTA rejected.</summary>
    RecipientRejected = 0x00000800,
    /// <summary>No reply to CONNECT.</summary>
    NoReplyConnect = 0x00001000,
    /// <summary>No reply to HELO.</summary>
    NoReplyHelo = 0x00002000,
    /// <summary>No reply to MAIL.</summary>
    NoReplyMail = 0x00004000,
    /// <summary>No reply to RCPT.</summary>
    NoReplyRecipient = 0x00008000,
    /// <summary>No reply to DATA.</summary>
    NoReplyData = 0x00010000,
    /// <summary>No reply to UNKNOWN.</summary>
    NoReplyUnknown = 0x00020000,
    /// <summary>No reply to end-of-headers.</summary>
    NoReplyEndOfHeaders = 0x00040000,
    /// <summary>No reply to body chunks.</summary>
    NoReplyBody = 0x00080000,
    /// <summary>Header values keep their leading whitespace both ways (§8).</summary>
    HeaderLeadingSpace = 0x00100000,
    /// <summary>Payload limit 256 KiB - 1 (FFR build option; never requested by us).</summary>
    MaxDataSize256K = 0x10000000,
    /// <summary>Payload limit 1 MiB - 1 (FFR build option; never requested by us).</summary>
    MaxDataSize1M = 0x20000000,

    /// <summary>Every defined step/reply/extra bit (0x1FFFFF).</summary>
    AllDefined = 0x001FFFFF,
    /// <summary>Bits internal between MTA and libmilter (0x70000000).</summary>
    Internal = 0x70000000,
    /// <summary>The v1 step group (0x3F); an offer of 0 means this (§4.1).</summary>
    Version1Steps = 0x0000003F,
    /// <summary>Every no-reply bit.</summary>
    AllNoReply = NoReplyHeader | NoReplyConnect | NoReplyHelo | NoReplyMail | NoReplyRecipient
        | NoReplyData | NoReplyUnknown | NoReplyEndOfHeaders | NoReplyBody,
}
