namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIF_* bits of the OPTNEG "actions" field (milter reference §4.3): which modifications the
/// milter may send at end of message. The milter's set must be a subset of the MTA's offer.
/// </summary>
[Flags]
public enum MilterActionFlags : uint
{
    /// <summary>No modifications.</summary>
    None = 0,
    /// <summary>ADDHEADER and INSHEADER.</summary>
    AddHeaders = 0x001,
    /// <summary>REPLBODY.</summary>
    ChangeBody = 0x002,
    /// <summary>ADDRCPT.</summary>
    AddRecipients = 0x004,
    /// <summary>DELRCPT.</summary>
    DeleteRecipients = 0x008,
    /// <summary>CHGHEADER (change and delete).</summary>
    ChangeHeaders = 0x010,
    /// <summary>QUARANTINE.</summary>
    Quarantine = 0x020,
    /// <summary>CHGFROM (v6).</summary>
    ChangeFrom = 0x040,
    /// <summary>ADDRCPT_PAR (v6).</summary>
    AddRecipientsWithParameters = 0x080,
    /// <summary>Macro lists in the OPTNEG reply (v6).</summary>
    SetMacroList = 0x100,

    /// <summary>The v1 group (0x0F); an offer of 0 means this (§4.1).</summary>
    Version1 = 0x00F,
    /// <summary>Every defined action (0x1FF).</summary>
    All = 0x1FF,
}
