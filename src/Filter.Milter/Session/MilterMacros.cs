using System.Buffers;
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

    private readonly Slot[] _slots = new Slot[SlotCount];

    /// <summary>Creates an empty set.</summary>
    public MilterMacros()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot();
        }
    }

    /// <summary>Looks a macro up, latest stage first; <paramref name="name"/> may be <c>i</c> or <c>{i}</c>.</summary>
    public bool TryGetValue(string name, out string value)
    {
        ReadOnlySpan<char> key = Normalize(name);
        for (int slot = SlotCount - 1; slot >= 0; slot--)
        {
            IReadOnlyList<KeyValuePair<string, string>>? macros = _slots[slot].Macros;
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
    public IReadOnlyList<KeyValuePair<string, string>> GetStage(MilterCommandCode stage) => _slots[SlotOf(stage)].Macros ?? s_empty;

    internal void Set(MacroCommand command) => _slots[SlotOf(command.Stage)].SetParsed(command.Macros);

    /// <summary>
    /// Files a MACRO payload (stage byte, then name/value strings) without parsing it: the pairs
    /// are decoded on the first lookup that reaches this slot. A payload identical to the one the
    /// slot held last keeps its decoded pairs, so Postfix's 'L' packet before every header, and
    /// the same macros message after message, cost one byte comparison (reference §6.2).
    /// </summary>
    internal void SetRaw(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsEmpty)
        {
            // An empty MACRO packet carries nothing; §6.2 asks servers never to fail on macros.
            _slots[OtherSlot].SetParsed(s_empty);
            return;
        }

        byte stage = payload.FirstSpan[0];
        _slots[SlotOf((MilterCommandCode)stage)].SetRaw(payload.Slice(1));
    }

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
            _slots[later].Clear();
        }
    }

    /// <summary>The transaction is void (ABORT, end of message): MAIL-stage and later macros go (§5.13).</summary>
    internal void ClearMessage()
    {
        for (int slot = SlotOf(MilterCommandCode.Mail); slot < OtherSlot; slot++)
        {
            _slots[slot].Clear();
        }
    }

    internal void ClearAll()
    {
        foreach (Slot slot in _slots)
        {
            slot.Clear();
        }
    }

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

    /// <summary>
    /// One stage's macros: the raw pairs as received (a buffer reused for the connection's life)
    /// and, once somebody asked, their decoded list.
    /// </summary>
    private sealed class Slot
    {
        // Larger packets are parsed at once instead of kept raw, so an MTA cannot make every
        // idle connection hold a big buffer.
        private const int MaxRawLength = 4096;

        private byte[] _raw = [];
        private int _rawLength = -1;
        private IReadOnlyList<KeyValuePair<string, string>>? _parsed;
        private bool _present;

        /// <summary>The decoded pairs, or null when the slot is empty.</summary>
        public IReadOnlyList<KeyValuePair<string, string>>? Macros
        {
            get
            {
                if (!_present)
                {
                    return null;
                }

                return _parsed ??= MilterCommandParser.ParseMacroPairs(
                    new ReadOnlySequence<byte>(_raw, 0, _rawLength));
            }
        }

        public void SetParsed(IReadOnlyList<KeyValuePair<string, string>> macros)
        {
            _parsed = macros;
            _rawLength = -1;
            _present = true;
        }

        public void SetRaw(in ReadOnlySequence<byte> pairs)
        {
            _present = true;
            if (_rawLength >= 0 && pairs.Length == _rawLength && Same(pairs))
            {
                // The very packet this slot decoded last time: keep the decoded pairs.
                return;
            }

            if (pairs.Length > MaxRawLength)
            {
                _parsed = MilterCommandParser.ParseMacroPairs(pairs);
                _rawLength = -1;
                return;
            }

            int length = (int)pairs.Length;
            if (_raw.Length < length)
            {
                _raw = new byte[Math.Max(length, 64)];
            }

            pairs.CopyTo(_raw);
            _rawLength = length;
            _parsed = null;
        }

        public void Clear() => _present = false;

        private bool Same(in ReadOnlySequence<byte> pairs)
        {
            ReadOnlySpan<byte> held = _raw.AsSpan(0, _rawLength);
            if (pairs.IsSingleSegment)
            {
                return pairs.FirstSpan.SequenceEqual(held);
            }

            foreach (ReadOnlyMemory<byte> segment in pairs)
            {
                if (!segment.Span.SequenceEqual(held[..segment.Length]))
                {
                    return false;
                }

                held = held[segment.Length..];
            }

            return true;
        }
    }
}
