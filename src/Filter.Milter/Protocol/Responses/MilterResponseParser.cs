using System.Buffers;

namespace Filter.Milter.Protocol;

/// <summary>
/// Turns a frame from the milter into a typed <see cref="MilterResponse"/> (milter reference §7).
/// Stricter than the command parser, as an MTA is (§7.1): payload on a payload-less response,
/// a REPLYCODE that is not a 4xx/5xx reply, or more than two strings in CHGFROM/ADDRCPT_PAR
/// are violations. Used by the client; never throws.
/// </summary>
internal static class MilterResponseParser
{
    public static bool TryParse(in MilterFrame frame, out MilterResponse? response, out MilterProtocolViolation? violation)
    {
        response = null;
        violation = null;
        var code = (MilterResponseCode)frame.Code;
        ReadOnlySequence<byte> payload = frame.Payload;
        SimpleResponse? simple = SimpleResponse.FromCode(code);
        if (simple is not null)
        {
            if (!payload.IsEmpty)
            {
                violation = Malformed(code, $"{payload.Length} payload bytes on a response that has none");
                return false;
            }

            response = simple;
            return true;
        }

        var reader = new MilterPayloadReader(payload);
        switch (code)
        {
            case MilterResponseCode.Negotiate:
                return TryParseNegotiate(ref reader, out response, out violation);
            case MilterResponseCode.ReplyCode:
            {
                reader.TryReadString(out string text);
                if (text.Length < 3 || text[0] is not ('4' or '5') || !char.IsAsciiDigit(text[1]) || !char.IsAsciiDigit(text[2]))
                {
                    violation = Malformed(code, $"REPLYCODE \"{text}\" is not a 4xx or 5xx reply");
                    return false;
                }

                response = new ReplyCodeResponse(text);
                return true;
            }

            case MilterResponseCode.AddHeader:
                if (!TryReadTwo(ref reader, out string name, out string value))
                {
                    violation = Malformed(code, "ADDHEADER needs a name and a value");
                    return false;
                }

                response = new AddHeaderResponse(name, value);
                return true;
            case MilterResponseCode.InsertHeader:
            case MilterResponseCode.ChangeHeader:
            {
                if (!reader.TryReadUInt32(out uint index) || !TryReadTwo(ref reader, out string headerName, out string headerValue))
                {
                    violation = Malformed(code, "an indexed header edit needs an index, a name and a value");
                    return false;
                }

                response = code == MilterResponseCode.InsertHeader
                    ? new InsertHeaderResponse(index, headerName, headerValue)
                    : new ChangeHeaderResponse(index, headerName, headerValue);
                return true;
            }

            case MilterResponseCode.ChangeFrom:
            case MilterResponseCode.AddRecipientWithParameters:
            {
                List<string> strings = reader.ReadRemainingStrings();
                if (strings.Count is < 1 or > 2)
                {
                    violation = Malformed(code, $"{strings.Count} strings, 1 or 2 allowed");
                    return false;
                }

                string? parameters = strings.Count == 2 ? strings[1] : null;
                response = code == MilterResponseCode.ChangeFrom
                    ? new ChangeFromResponse(strings[0], parameters)
                    : new AddRecipientWithParametersResponse(strings[0], parameters);
                return true;
            }

            case MilterResponseCode.AddRecipient:
            case MilterResponseCode.DeleteRecipient:
            case MilterResponseCode.Quarantine:
            {
                if (!reader.TryReadString(out string text))
                {
                    violation = Malformed(code, "a string is required");
                    return false;
                }

                response = code switch
                {
                    MilterResponseCode.AddRecipient => new AddRecipientResponse(text),
                    MilterResponseCode.DeleteRecipient => new DeleteRecipientResponse(text),
                    _ => new QuarantineResponse(text),
                };
                return true;
            }

            case MilterResponseCode.ReplaceBody:
                response = new ReplaceBodyResponse(payload.ToArray());
                return true;
            default:
                violation = new MilterProtocolViolation(MilterViolationKind.UnknownCode, frame.Code, $"unknown response 0x{frame.Code:X2}");
                return false;
        }
    }

    /// <summary>
    /// Applies exactly the checks of <see cref="TryParse"/> without building the response, so a
    /// load tool can read the common replies (header edits, CONTINUE, ACCEPT) at end of message
    /// on every message without allocating. A frame passes here if and only if it parses there.
    /// </summary>
    public static bool TryValidate(in MilterFrame frame, out MilterProtocolViolation? violation)
    {
        violation = null;
        var code = (MilterResponseCode)frame.Code;
        ReadOnlySequence<byte> payload = frame.Payload;
        if (SimpleResponse.FromCode(code) is not null)
        {
            if (!payload.IsEmpty)
            {
                violation = Malformed(code, $"{payload.Length} payload bytes on a response that has none");
                return false;
            }

            return true;
        }

        var reader = new MilterPayloadReader(payload);
        switch (code)
        {
            case MilterResponseCode.Negotiate:
                if (!reader.TryReadUInt32(out _) || !reader.TryReadUInt32(out _) || !reader.TryReadUInt32(out _))
                {
                    violation = Malformed(code, "OPTNEG reply shorter than 12 bytes");
                    return false;
                }

                while (!reader.End)
                {
                    if (!reader.TryReadUInt32(out _) || !reader.TryReadStringBytes(out _))
                    {
                        violation = Malformed(code, "truncated macro list in OPTNEG reply");
                        return false;
                    }
                }

                return true;
            case MilterResponseCode.ReplyCode:
            {
                // The same test as TryParse's on the decoded text: ASCII digits decode 1:1.
                reader.TryReadStringBytes(out ReadOnlySequence<byte> text);
                Span<byte> head = stackalloc byte[3];
                head.Clear();
                if (text.Length >= 3)
                {
                    text.Slice(0, 3).CopyTo(head);
                }

                if (head[0] is not ((byte)'4' or (byte)'5') || !char.IsAsciiDigit((char)head[1]) || !char.IsAsciiDigit((char)head[2]))
                {
                    violation = Malformed(code, $"REPLYCODE \"{MilterText.Decode(text)}\" is not a 4xx or 5xx reply");
                    return false;
                }

                return true;
            }

            case MilterResponseCode.AddHeader:
                if (!TrySkipTwo(ref reader))
                {
                    violation = Malformed(code, "ADDHEADER needs a name and a value");
                    return false;
                }

                return true;
            case MilterResponseCode.InsertHeader:
            case MilterResponseCode.ChangeHeader:
                if (!reader.TryReadUInt32(out _) || !TrySkipTwo(ref reader))
                {
                    violation = Malformed(code, "an indexed header edit needs an index, a name and a value");
                    return false;
                }

                return true;
            case MilterResponseCode.ChangeFrom:
            case MilterResponseCode.AddRecipientWithParameters:
            {
                int count = 0;
                while (reader.TryReadStringBytes(out _))
                {
                    count++;
                }

                if (count is < 1 or > 2)
                {
                    violation = Malformed(code, $"{count} strings, 1 or 2 allowed");
                    return false;
                }

                return true;
            }

            case MilterResponseCode.AddRecipient:
            case MilterResponseCode.DeleteRecipient:
            case MilterResponseCode.Quarantine:
                if (!reader.TryReadStringBytes(out _))
                {
                    violation = Malformed(code, "a string is required");
                    return false;
                }

                return true;
            case MilterResponseCode.ReplaceBody:
                return true;
            default:
                violation = new MilterProtocolViolation(MilterViolationKind.UnknownCode, frame.Code, $"unknown response 0x{frame.Code:X2}");
                return false;
        }
    }

    /// <summary>Whether a response code is a modification (only allowed after end of message, §7.2).</summary>
    public static bool IsModification(MilterResponseCode code) => code is MilterResponseCode.AddRecipient or MilterResponseCode.DeleteRecipient
        or MilterResponseCode.AddRecipientWithParameters or MilterResponseCode.ReplaceBody or MilterResponseCode.ChangeFrom
        or MilterResponseCode.AddHeader or MilterResponseCode.InsertHeader or MilterResponseCode.ChangeHeader or MilterResponseCode.Quarantine;

    // TryReadTwo without decoding: a non-empty name decodes to a non-empty string.
    private static bool TrySkipTwo(ref MilterPayloadReader reader)
    {
        if (!reader.TryReadStringBytes(out ReadOnlySequence<byte> name))
        {
            return false;
        }

        reader.TryReadStringBytes(out _);
        return !name.IsEmpty;
    }

    private static bool TryParseNegotiate(ref MilterPayloadReader reader, out MilterResponse? response, out MilterProtocolViolation? violation)
    {
        response = null;
        if (!reader.TryReadUInt32(out uint version) || !reader.TryReadUInt32(out uint actions) || !reader.TryReadUInt32(out uint protocol))
        {
            violation = Malformed(MilterResponseCode.Negotiate, "OPTNEG reply shorter than 12 bytes");
            return false;
        }

        var lists = new List<MacroListRequest>();
        while (!reader.End)
        {
            if (!reader.TryReadUInt32(out uint stage) || !reader.TryReadString(out string names))
            {
                violation = Malformed(MilterResponseCode.Negotiate, "truncated macro list in OPTNEG reply");
                return false;
            }

            lists.Add(new MacroListRequest((MacroStage)stage, names));
        }

        response = new NegotiateResponse(version, (MilterActionFlags)actions, (MilterProtocolFlags)protocol, lists);
        violation = null;
        return true;
    }

    // A header name and its value; the name is shared when common (the load tool reads our
    // Authentication-Results insert on every message).
    private static bool TryReadTwo(ref MilterPayloadReader reader, out string first, out string second)
    {
        second = string.Empty;
        if (!reader.TryReadStringBytes(out ReadOnlySequence<byte> name))
        {
            first = string.Empty;
            return false;
        }

        first = MilterNameTable.Decode(name);
        reader.TryReadString(out second);
        return first.Length > 0;
    }

    private static MilterProtocolViolation Malformed(MilterResponseCode code, string reason) =>
        new(MilterViolationKind.Malformed, (byte)code, reason);
}
