namespace Filter.Milter.Session;

/// <summary>
/// The protocol steps a handler can take part in. Steps a handler does not list are negotiated
/// away (SMFIP_NO*), so the MTA does not send them at all (milter reference §4.4).
/// End of message is not listed: it is always sent and always answered.
/// </summary>
[Flags]
public enum MilterSteps
{
    /// <summary>No step.</summary>
    None = 0,
    /// <summary>CONNECT.</summary>
    Connect = 1 << 0,
    /// <summary>HELO/EHLO.</summary>
    Helo = 1 << 1,
    /// <summary>MAIL FROM.</summary>
    Mail = 1 << 2,
    /// <summary>RCPT TO.</summary>
    Recipient = 1 << 3,
    /// <summary>DATA.</summary>
    Data = 1 << 4,
    /// <summary>Each header field.</summary>
    Header = 1 << 5,
    /// <summary>End of headers.</summary>
    EndOfHeaders = 1 << 6,
    /// <summary>Body chunks.</summary>
    Body = 1 << 7,
    /// <summary>Unknown SMTP commands.</summary>
    Unknown = 1 << 8,

    /// <summary>Every step.</summary>
    All = Connect | Helo | Mail | Recipient | Data | Header | EndOfHeaders | Body | Unknown,
}
