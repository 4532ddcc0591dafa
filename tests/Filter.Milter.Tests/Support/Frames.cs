using System.Buffers;
using Filter.Milter.Protocol;

namespace Filter.Milter.Tests.Support;

/// <summary>Encoding and decoding helpers for whole frames in tests.</summary>
internal static class Frames
{
    public static byte[] Encode(params MilterCommand[] commands)
    {
        using var writer = new PooledBufferWriter();
        foreach (MilterCommand command in commands)
        {
            MilterFrameWriter.Write(writer, command);
        }

        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(params MilterResponse[] responses)
    {
        using var writer = new PooledBufferWriter();
        foreach (MilterResponse response in responses)
        {
            MilterFrameWriter.Write(writer, response);
        }

        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));

    /// <summary>Decodes every command in the sequence; fails the test on a violation or leftover bytes.</summary>
    public static List<MilterCommand> DecodeCommands(ReadOnlySequence<byte> buffer)
    {
        var list = new List<MilterCommand>();
        while (true)
        {
            MilterFrameStatus status = MilterFrameReader.TryRead(ref buffer, MilterLimits.DefaultMaxPayloadLength, out MilterFrame frame, out MilterProtocolViolation? violation);
            if (status == MilterFrameStatus.Incomplete)
            {
                Assert.That(buffer.Length, Is.Zero, "bytes left over");
                return list;
            }

            Assert.That(status, Is.EqualTo(MilterFrameStatus.Complete), violation?.ToString());
            Assert.That(MilterCommandParser.TryParse(frame, out MilterCommand? command, out violation), Is.True, violation?.ToString());

            // Body payloads are slices of the buffer: copy them so they outlive it.
            list.Add(command switch
            {
                BodyCommand body => new BodyCommand(body.Chunk.ToArray().AsMemory()),
                EndOfMessageCommand end when !end.FinalChunk.IsEmpty => new EndOfMessageCommand(new ReadOnlySequence<byte>(end.FinalChunk.ToArray())),
                _ => command!,
            });
        }
    }

    /// <summary>Decodes every response in the bytes; fails the test on a violation or leftover bytes.</summary>
    public static List<MilterResponse> DecodeResponses(ReadOnlySequence<byte> buffer)
    {
        var list = new List<MilterResponse>();
        while (true)
        {
            MilterFrameStatus status = MilterFrameReader.TryRead(ref buffer, MilterLimits.DefaultMaxPayloadLength, out MilterFrame frame, out MilterProtocolViolation? violation);
            if (status == MilterFrameStatus.Incomplete)
            {
                Assert.That(buffer.Length, Is.Zero, "bytes left over");
                return list;
            }

            Assert.That(status, Is.EqualTo(MilterFrameStatus.Complete), violation?.ToString());
            Assert.That(MilterResponseParser.TryParse(frame, out MilterResponse? response, out violation), Is.True, violation?.ToString());
            list.Add(response!);
        }
    }

    /// <summary>Codes of the responses, as a string ("Oc" ...), for compact assertions.</summary>
    public static string Codes(IEnumerable<MilterResponse> responses) => string.Concat(responses.Select(r => (char)(byte)r.Code));
}
