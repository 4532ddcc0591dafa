namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIM_* stage ids used when a v6 milter requests macro lists in its OPTNEG reply
/// (milter reference §6.4). The order is historical: end of message comes before end of headers.
/// </summary>
public enum MacroStage : uint
{
    /// <summary>SMFIM_CONNECT: macros sent with CONNECT.</summary>
    Connect = 0,
    /// <summary>SMFIM_HELO: macros sent with HELO.</summary>
    Helo = 1,
    /// <summary>SMFIM_ENVFROM: macros sent with MAIL.</summary>
    Mail = 2,
    /// <summary>SMFIM_ENVRCPT: macros sent with RCPT.</summary>
    Recipient = 3,
    /// <summary>SMFIM_DATA: macros sent with DATA.</summary>
    Data = 4,
    /// <summary>SMFIM_EOM: macros sent with end of message (Postfix: also before each body chunk).</summary>
    EndOfMessage = 5,
    /// <summary>SMFIM_EOH: macros sent with end of headers (Postfix: also before each header).</summary>
    EndOfHeaders = 6,
}
