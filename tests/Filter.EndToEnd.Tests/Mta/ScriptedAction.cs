namespace Filter.EndToEnd.Tests.Mta;

/// <summary>What <see cref="ScriptedMilterHandler"/> answers at end of message, named by the message's X-Test-Action header.</summary>
internal enum ScriptedAction
{
    /// <summary>Insert a header at index 0, delete X-Delete-Me, accept.</summary>
    Deliver,
    /// <summary>REPLYCODE 550 5.7.1.</summary>
    Reject,
    /// <summary>REPLYCODE 451 4.7.1.</summary>
    TempFail,
    /// <summary>QUARANTINE with a reason, then accept.</summary>
    Quarantine,
}
