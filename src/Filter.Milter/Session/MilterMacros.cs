using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// The macros of one milter connection, kept per stage as libmilter keeps them (milter reference
/// §6.3): one slot per stage, replaced when a new MACRO for that stage arrives; a CONNECT, HELO,
/// MAIL or RCPT command clears the slots of later stages; lookups search from the latest stage
/// backwards. <c>x</c> and <c>{x}</c> name the same macro. Postfix's 'L' and 'B' lists are filed
/// under end of headers and end of message, 'U' and unknown stage codes in a slot of their own.
/// </summary>
public sealed class MilterMacros
{
    private const int SlotCount = 8;
    private const int OtherSlot = 7;
    private static readonly IReadOnlyList<KeyValuePair<string, string>> s_empty = [];

    private readonly IReadOnlyList<KeyValuePair<string, string>>?[] _slots = new IReadOnlyList<KeyValuePair<string, string>>?[SlotCount];

    /// <summary>Looks a macro up, latest stage first; <paramref name="name"/> may be <c>i</c> or <c>{i}</c>.</summary>
    public bool TryGetValue(string name, out string value)
    {
        ReadOnlySpan<char> key = Normalize(name);
        for (int slot = SlotCount - 1; slot >= 0; slot--)
        {
            IReadOnlyList<KeyValuePair<string, string>>? macros = _slots[slot];
            if (macros is null)
            {
                continue;
            }

            for (int i = 0; i < macros.Count; i++)
            {
                if (key.SequenceEqual(Normalize(macros[i].Key)))
                {
                    value = macros[i].Value;
                    return true;
                }
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>The value, or null when the MTA did not send it.</summary>
    public string? this[string name] => TryGetValue(name, out string value) ? value : null;

    /// <summary>The macros last received for the stage of command <paramref name="stage"/> ('C', 'H', 'M', ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GetStage(MilterCommandCode stage) => _slots[SlotOf(stage)] ?? s_empty;

    internal void Set(MacroCommand command) => _slots[SlotOf(command.Stage)] = command.Macros;

    /// <summary>Called when a command arrives: CONNECT/HELO/MAIL/RCPT clear the slots of later stages.</summary>
    internal void OnCommand(MilterCommandCode code)
    {
        int slot = code switch
        {
            MilterCommandCode.Connect or MilterCommandCode.Helo or MilterCommandCode.Mail or MilterCommandCode.Recipient => SlotOf(code),
            _ => -1,
        };
        if (slot < 0)
        {
            return;
        }

        for (int later = slot + 1; later < OtherSlot; later++)
        {
            _slots[later] = null;
        }
    }

    /// <summary>The transaction is void (ABORT, end of message): MAIL-stage and later macros go (§5.13).</summary>
    internal void ClearMessage()
    {
        for (int slot = SlotOf(MilterCommandCode.Mail); slot < OtherSlot; slot++)
        {
            _slots[slot] = null;
        }
    }

    internal void ClearAll() => Array.Clear(_slots);

    private static int SlotOf(MilterCommandCode stage) => stage switch
    {
        MilterCommandCode.Connect => 0,
        MilterCommandCode.Helo => 1,
        MilterCommandCode.Mail => 2,
        MilterCommandCode.Recipient => 3,
        MilterCommandCode.Data => 4,
        MilterCommandCode.Header or MilterCommandCode.EndOfHeaders => 5,
        MilterCommandCode.Body or MilterCommandCode.EndOfMessage => 6,
        _ => OtherSlot,
    };

    private static ReadOnlySpan<char> Normalize(string name) =>
        name.Length == 3 && name[0] == '{' && name[2] == '}' ? name.AsSpan(1, 1) : name.AsSpan();
}
