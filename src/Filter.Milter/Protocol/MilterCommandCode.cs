namespace Filter.Milter.Protocol;

/// <summary>
/// The command byte of a packet sent by the MTA to the milter (SMFIC_*, milter reference §5).
/// The numeric value is the ASCII letter on the wire.
/// </summary>
public enum MilterCommandCode : byte
{
    /// <summary>SMFIC_ABORT 'A': forget the current message; never answered.</summary>
    Abort = (byte)'A',
    /// <summary>SMFIC_BODY 'B': one body chunk of at most 65535 raw bytes.</summary>
    Body = (byte)'B',
    /// <summary>SMFIC_CONNECT 'C': client host name, family, port and address.</summary>
    Connect = (byte)'C',
    /// <summary>SMFIC_MACRO 'D': macros for the command that follows; never answered.</summary>
    Macro = (byte)'D',
    /// <summary>SMFIC_BODYEOB 'E': end of message; always answered with edits and a final decision.</summary>
    EndOfMessage = (byte)'E',
    /// <summary>SMFIC_HELO 'H': the HELO/EHLO argument.</summary>
    Helo = (byte)'H',
    /// <summary>SMFIC_QUIT_NC 'K': session over, socket kept for a new session (v6).</summary>
    QuitNewConnection = (byte)'K',
    /// <summary>SMFIC_HEADER 'L': one header field, name and value.</summary>
    Header = (byte)'L',
    /// <summary>SMFIC_MAIL 'M': envelope sender and ESMTP parameters.</summary>
    Mail = (byte)'M',
    /// <summary>SMFIC_EOH 'N': end of the header section.</summary>
    EndOfHeaders = (byte)'N',
    /// <summary>SMFIC_OPTNEG 'O': option negotiation, always first.</summary>
    Negotiate = (byte)'O',
    /// <summary>SMFIC_QUIT 'Q': session over; close.</summary>
    Quit = (byte)'Q',
    /// <summary>SMFIC_RCPT 'R': one envelope recipient and ESMTP parameters.</summary>
    Recipient = (byte)'R',
    /// <summary>SMFIC_DATA 'T': the client sent DATA (v4+).</summary>
    Data = (byte)'T',
    /// <summary>SMFIC_UNKNOWN 'U': an SMTP command the MTA did not recognise (v3+).</summary>
    Unknown = (byte)'U',
}
