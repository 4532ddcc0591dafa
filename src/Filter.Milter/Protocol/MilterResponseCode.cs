namespace Filter.Milter.Protocol;

/// <summary>
/// The code byte of a packet sent by the milter to the MTA (SMFIR_*, milter reference §7.1).
/// <c>f</c> (CONN_FAIL) and <c>l</c> (SETSYMLIST) are deliberately absent: neither MTA accepts them
/// on the wire (§7.1, §16).
/// </summary>
public enum MilterResponseCode : byte
{
    /// <summary>SMFIR_ADDRCPT '+': add a recipient.</summary>
    AddRecipient = (byte)'+',
    /// <summary>SMFIR_DELRCPT '-': remove a recipient.</summary>
    DeleteRecipient = (byte)'-',
    /// <summary>SMFIR_ADDRCPT_PAR '2': add a recipient with ESMTP parameters (v6).</summary>
    AddRecipientWithParameters = (byte)'2',
    /// <summary>SMFIR_SHUTDOWN '4': 421 and disconnect; Postfix only.</summary>
    Shutdown = (byte)'4',
    /// <summary>SMFIR_ACCEPT 'a'.</summary>
    Accept = (byte)'a',
    /// <summary>SMFIR_REPLBODY 'b': one chunk of the replacement body.</summary>
    ReplaceBody = (byte)'b',
    /// <summary>SMFIR_CONTINUE 'c'.</summary>
    Continue = (byte)'c',
    /// <summary>SMFIR_DISCARD 'd'.</summary>
    Discard = (byte)'d',
    /// <summary>SMFIR_CHGFROM 'e': change the envelope sender (v6).</summary>
    ChangeFrom = (byte)'e',
    /// <summary>SMFIR_ADDHEADER 'h': append a header.</summary>
    AddHeader = (byte)'h',
    /// <summary>SMFIR_INSHEADER 'i': insert a header at a global index.</summary>
    InsertHeader = (byte)'i',
    /// <summary>SMFIR_CHGHEADER 'm': change or delete the n-th header of a name.</summary>
    ChangeHeader = (byte)'m',
    /// <summary>SMFIR_PROGRESS 'p': keep-alive, not a decision.</summary>
    Progress = (byte)'p',
    /// <summary>SMFIR_QUARANTINE 'q': quarantine the message with a reason.</summary>
    Quarantine = (byte)'q',
    /// <summary>SMFIR_REJECT 'r'.</summary>
    Reject = (byte)'r',
    /// <summary>SMFIR_SKIP 's': no more body chunks (v6).</summary>
    Skip = (byte)'s',
    /// <summary>SMFIR_TEMPFAIL 't'.</summary>
    TempFail = (byte)'t',
    /// <summary>SMFIR_REPLYCODE 'y': a decision with a full SMTP reply text.</summary>
    ReplyCode = (byte)'y',
    /// <summary>The OPTNEG reply 'O'.</summary>
    Negotiate = (byte)'O',
}
