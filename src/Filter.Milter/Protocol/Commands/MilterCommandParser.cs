using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// Turns a frame from the MTA into a typed <see cref="MilterCommand"/> (milter reference §5).
/// Tolerant where the reference asks for tolerance (§2.2, §15: missing final NUL, odd macro
/// lists, empty MACRO, payload on EOM or on payload-less commands); anything else that does
/// not fit is a <see cref="MilterProtocolViolation"/>, never an exception.
/// </summary>
internal static class MilterCommandParser
{
    public static bool TryParse(in MilterFrame frame, out MilterCommand? command, out MilterProtocolViolation? violation)
    {
        violation = null;
        command = null;
        ReadOnlySequence<byte> payload = frame.Payload;
        switch ((MilterCommandCode)frame.Code)
        {
            case MilterCommandCode.Negotiate:
                return TryParseNegotiate(payload, out command, out violation);
            case MilterCommandCode.Macro:
                command = ParseMacro(payload);
                return true;
            case MilterCommandCode.Connect:
                return TryParseConnect(payload, out command, out violation);
            case MilterCommandCode.Helo:
            {
                var reader = new MilterPayloadReader(payload);
                reader.TryReadString(out string name);
                command = new HeloCommand(name);
                return true;
            }

            case MilterCommandCode.Mail:
            {
                (string address, IReadOnlyList<string> parameters) = ParseEnvelope(payload);
                command = new MailCommand(address, parameters);
                return true;
            }

            case MilterCommandCode.Recipient:
            {
                (string address, IReadOnlyList<string> parameters) = ParseEnvelope(payload);
                command = new RecipientCommand(address, parameters);
                return true;
            }

            case MilterCommandCode.Data:
                command = DataCommand.Instance;
                return true;
            case MilterCommandCode.Header:
                return TryParseHeader(payload, out command, out violation);
            case MilterCommandCode.EndOfHeaders:
                command = EndOfHeadersCommand.Instance;
                return true;
            case MilterCommandCode.Body:
                command = new BodyCommand(payload);
                return true;
            case MilterCommandCode.EndOfMessage:
                command = payload.IsEmpty ? EndOfMessageCommand.Empty : new EndOfMessageCommand(payload);
                return true;
            case MilterCommandCode.Unknown:
            {
                var reader = new MilterPayloadReader(payload);
                reader.TryReadString(out string line);
                command = new UnknownCommand(line);
                return true;
            }

            case MilterCommandCode.Abort:
                command = AbortCommand.Instance;
                return true;
            case MilterCommandCode.Quit:
                command = QuitCommand.Instance;
                return true;
            case MilterCommandCode.QuitNewConnection:
                command = QuitNewConnectionCommand.Instance;
                return true;
            default:
                violation = new MilterProtocolViolation(
                    MilterViolationKind.UnknownCode, frame.Code, $"unknown command 0x{frame.Code:X2}");
                return false;
        }
    }

    private static bool TryParseNegotiate(in ReadOnlySequence<byte> payload, out MilterCommand? command, out MilterProtocolViolation? violation)
    {
        var reader = new MilterPayloadReader(payload);
        if (!reader.TryReadUInt32(out uint version)
            || !reader.TryReadUInt32(out uint actions)
            || !reader.TryReadUInt32(out uint protocol))
        {
            command = null;
            violation = Malformed(MilterCommandCode.Negotiate, $"OPTNEG payload of {payload.Length} bytes, 12 required");
            return false;
        }

        command = new NegotiateCommand(version, (MilterActionFlags)actions, (MilterProtocolFlags)protocol);
        violation = null;
        return true;
    }

    private static MacroCommand ParseMacro(in ReadOnlySequence<byte> payload)
    {
        var reader = new MilterPayloadReader(payload);
        if (!reader.TryReadByte(out byte stage))
        {
            // An empty MACRO packet carries nothing; §6.2 asks servers never to fail on macros.
            return new MacroCommand(0, []);
        }

        return new MacroCommand((MilterCommandCode)stage, ParseMacroPairs(reader.RemainingSequence));
    }

    /// <summary>
    /// The name/value pairs of a MACRO payload after its stage byte. Names are taken from
    /// <see cref="MilterNameTable"/> when known (Postfix repeats the same few on every header).
    /// </summary>
    internal static List<KeyValuePair<string, string>> ParseMacroPairs(in ReadOnlySequence<byte> pairs)
    {
        var reader = new MilterPayloadReader(pairs);
        var macros = new List<KeyValuePair<string, string>>(4);
        while (reader.TryReadStringBytes(out ReadOnlySequence<byte> nameBytes))
        {
            // An odd count of strings: the last name has no value and is dropped (§2.2).
            if (!reader.TryReadString(out string value))
            {
                break;
            }

            string name = MilterNameTable.Decode(nameBytes);
            macros.Add(new KeyValuePair<string, string>(name, value));
        }

        return macros;
    }

    private static bool TryParseConnect(in ReadOnlySequence<byte> payload, out MilterCommand? command, out MilterProtocolViolation? violation)
    {
        command = null;
        var reader = new MilterPayloadReader(payload);
        if (!reader.TryReadStringBytes(out ReadOnlySequence<byte> hostBytes) || !reader.TryReadByte(out byte familyByte))
        {
            violation = Malformed(MilterCommandCode.Connect, "CONNECT without host name and family");
            return false;
        }

        var family = (ConnectFamily)familyByte;
        string host = MilterText.Decode(hostBytes);
        switch (family)
        {
            case ConnectFamily.Unknown:
                command = new ConnectCommand(host, family, 0, string.Empty);
                violation = null;
                return true;
            case ConnectFamily.Local:
            case ConnectFamily.Inet:
            case ConnectFamily.Inet6:
                if (!reader.TryReadUInt16(out ushort port) || !reader.TryReadString(out string address))
                {
                    violation = Malformed(MilterCommandCode.Connect, $"CONNECT family '{(char)familyByte}' without port and address");
                    return false;
                }

                command = new ConnectCommand(host, family, port, address);
                violation = null;
                return true;
            default:
                violation = Malformed(MilterCommandCode.Connect, $"CONNECT with unknown family 0x{familyByte:X2}");
                return false;
        }
    }

    private static (string Address, IReadOnlyList<string> Parameters) ParseEnvelope(in ReadOnlySequence<byte> payload)
    {
        var reader = new MilterPayloadReader(payload);
        reader.TryReadString(out string address);
        // Most MAIL and RCPT commands carry no ESMTP parameters: no list for those.
        return (address, reader.End ? [] : reader.ReadRemainingStrings());
    }

    private static bool TryParseHeader(in ReadOnlySequence<byte> payload, out MilterCommand? command, out MilterProtocolViolation? violation)
    {
        if (!TrySplitHeader(payload, out string? name, out ReadOnlySequence<byte> value, out violation))
        {
            command = null;
            return false;
        }

        command = new HeaderCommand(name!, value.ToArray());
        return true;
    }

    /// <summary>
    /// Splits a HEADER payload into its name (a shared string for the common names, see
    /// <see cref="MilterNameTable"/>) and its value bytes, a slice of <paramref name="payload"/>
    /// without the final NUL. The session calls this directly so that a header costs no copy.
    /// </summary>
    internal static bool TrySplitHeader(in ReadOnlySequence<byte> payload, out string? name, out ReadOnlySequence<byte> value, out MilterProtocolViolation? violation)
    {
        if (payload.IsSingleSegment)
        {
            ReadOnlySpan<byte> span = payload.FirstSpan;
            int nul = span.IndexOf((byte)0);
            if (nul >= 0)
            {
                name = MilterNameTable.Decode(span[..nul]);
                int end = span[(nul + 1)..].IndexOf((byte)0);
                value = end < 0 ? payload.Slice(nul + 1) : payload.Slice(nul + 1, end);
                violation = null;
                return true;
            }
        }
        else
        {
            SequencePosition? position = payload.PositionOf((byte)0);
            if (position is not null)
            {
                ReadOnlySequence<byte> nameBytes = payload.Slice(0, position.Value);
                name = MilterNameTable.Decode(nameBytes);
                ReadOnlySequence<byte> rest = payload.Slice(payload.GetPosition(1, position.Value));
                SequencePosition? end = rest.PositionOf((byte)0);
                value = end is null ? rest : rest.Slice(0, end.Value);
                violation = null;
                return true;
            }
        }

        // The name must be NUL-terminated, or there is no way to tell it from the value.
        name = null;
        value = default;
        violation = Malformed(MilterCommandCode.Header, "HEADER without a NUL between name and value");
        return false;
    }

    private static MilterProtocolViolation Malformed(MilterCommandCode code, string reason) =>
        new(MilterViolationKind.Malformed, (byte)code, reason);
}
