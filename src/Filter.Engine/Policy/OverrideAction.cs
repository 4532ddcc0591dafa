namespace Filter.Engine.Policy;

/// <summary>What a per-domain override does to the verdict of a matching message.</summary>
public enum OverrideAction
{
    /// <summary>Accept whatever the results (a known sender with broken authentication). Results are still recorded.</summary>
    Accept,

    /// <summary>Reject whatever the results, with the DMARC reject reply (a domain that must never reach us).</summary>
    Reject,

    /// <summary>Move a DMARC-failure disposition one step milder: reject → quarantine → none.</summary>
    Lower,

    /// <summary>Move a DMARC-failure disposition one step stricter: none → quarantine → reject.</summary>
    Raise,
}
