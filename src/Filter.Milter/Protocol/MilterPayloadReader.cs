using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// Reads the fields of one payload: big-endian integers, single bytes and NUL-terminated strings.
/// Tolerant as the reference asks (§2.2): a last string without its NUL is accepted.
/// </summary>
internal ref struct MilterPayloadReader(ReadOnlySequence<byte> payload)
{
    private SequenceReader<byte> _reader = new(payload);

    public readonly bool End => _reader.End;

    public readonly long Remaining => _reader.Remaining;

    public readonly ReadOnlySequence<byte> RemainingSequence => _reader.UnreadSequence;

    public bool TryReadByte(out byte value) => _reader.TryRead(out value);

    public bool TryReadUInt16(out ushort value)
    {
        if (_reader.TryReadBigEndian(out short signed))
        {
            value = unchecked((ushort)signed);
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (_reader.TryReadBigEndian(out int signed))
        {
            value = unchecked((uint)signed);
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads the raw bytes of the next string; false only when nothing is left.</summary>
    public bool TryReadStringBytes(out ReadOnlySequence<byte> bytes)
    {
        if (_reader.End)
        {
            bytes = default;
            return false;
        }

        if (_reader.TryReadTo(out bytes, 0, advancePastDelimiter: true))
        {
            return true;
        }

        // Missing final NUL: the rest of the payload is the string.
        bytes = _reader.UnreadSequence;
        _reader.AdvanceToEnd();
        return true;
    }

    /// <summary>Reads and decodes the next string; false only when nothing is left.</summary>
    public bool TryReadString(out string value)
    {
        if (TryReadStringBytes(out ReadOnlySequence<byte> bytes))
        {
            value = MilterText.Decode(bytes);
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Reads all remaining strings (an empty payload gives an empty list).</summary>
    public List<string> ReadRemainingStrings()
    {
        var list = new List<string>();
        while (TryReadString(out string value))
        {
            list.Add(value);
        }

        return list;
    }
}
