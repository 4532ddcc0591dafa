using System.Buffers;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Protocol;

public sealed class MilterFrameReaderTests
{
    [Test]
    public void A_zero_length_packet_is_a_violation()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Hex("00000000 4F"));
        Assert.That(MilterFrameReader.TryRead(ref buffer, 100, out _, out MilterProtocolViolation? violation), Is.EqualTo(MilterFrameStatus.Invalid));
        Assert.That(violation!.Kind, Is.EqualTo(MilterViolationKind.ZeroLength));
    }

    [Test]
    public void An_oversized_packet_is_refused_from_its_length_alone()
    {
        // Only the 4 length bytes have arrived: the limit is enforced before any payload is buffered.
        var buffer = new ReadOnlySequence<byte>(Frames.Hex("00100002"));
        Assert.That(MilterFrameReader.TryRead(ref buffer, 1024 * 1024, out _, out MilterProtocolViolation? violation), Is.EqualTo(MilterFrameStatus.Invalid));
        Assert.That(violation!.Kind, Is.EqualTo(MilterViolationKind.Oversized));
    }

    [Test]
    public void A_packet_exactly_at_the_limit_is_accepted()
    {
        byte[] bytes = Frames.Encode(new BodyCommand(new byte[1000].AsMemory()));
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.That(MilterFrameReader.TryRead(ref buffer, 1000, out MilterFrame frame, out _), Is.EqualTo(MilterFrameStatus.Complete));
        Assert.That(frame.Payload.Length, Is.EqualTo(1000));

        buffer = new ReadOnlySequence<byte>(bytes);
        Assert.That(MilterFrameReader.TryRead(ref buffer, 999, out _, out _), Is.EqualTo(MilterFrameStatus.Invalid));
    }

    [Test]
    public void Garbage_is_refused_at_once()
    {
        // An HTTP request on the milter port: "GET " read as a length is about 1.2 GB.
        var buffer = new ReadOnlySequence<byte>("GET / HTTP/1.1\r\n"u8.ToArray());
        Assert.That(MilterFrameReader.TryRead(ref buffer, MilterLimits.DefaultMaxPayloadLength, out _, out MilterProtocolViolation? violation), Is.EqualTo(MilterFrameStatus.Invalid));
        Assert.That(violation!.Kind, Is.EqualTo(MilterViolationKind.Oversized));
    }

    [Test]
    public void Random_garbage_never_throws()
    {
        var random = new Random(7);
        int frames = 0, parsedAsValues = 0, inconsistent = 0;
        for (int round = 0; round < 2000; round++)
        {
            byte[] data = new byte[random.Next(0, 64)];
            random.NextBytes(data);
            if (data.Length >= 4)
            {
                data[0] = 0;
                data[1] = 0;
                data[2] = 0;
            }

            ReadOnlySequence<byte> buffer = Segments.Random(data, random);
            while (MilterFrameReader.TryRead(ref buffer, 255, out MilterFrame frame, out _) == MilterFrameStatus.Complete)
            {
                frames++;
                // Each parse must end in exactly one value: a command/response, or a violation.
                bool isCommand = MilterCommandParser.TryParse(frame, out MilterCommand? command, out MilterProtocolViolation? commandViolation);
                bool isResponse = MilterResponseParser.TryParse(frame, out MilterResponse? response, out MilterProtocolViolation? responseViolation);
                if (isCommand != (command is not null) || isCommand == (commandViolation is not null)
                    || isResponse != (response is not null) || isResponse == (responseViolation is not null))
                {
                    inconsistent++;
                }

                parsedAsValues += (isCommand ? 1 : 0) + (isResponse ? 1 : 0);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(frames, Is.GreaterThan(100), "the seeded input must produce complete frames");
            Assert.That(parsedAsValues, Is.GreaterThan(0), "some random frames are valid commands or responses");
            Assert.That(inconsistent, Is.Zero, "every parse ends in a value or a violation, never both or neither");
        });
    }

    [Test]
    public void Several_frames_in_one_buffer_come_out_one_by_one()
    {
        byte[] bytes = Frames.Encode(new MacroCommand(MilterCommandCode.Data, [new("i", "4QX2Lm0Zk9z")]), DataCommand.Instance, AbortCommand.Instance);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var codes = new List<byte>();
        while (MilterFrameReader.TryRead(ref buffer, 100, out MilterFrame frame, out _) == MilterFrameStatus.Complete)
        {
            codes.Add(frame.Code);
        }

        Assert.That(codes, Is.EqualTo(new[] { (byte)'D', (byte)'T', (byte)'A' }));
        Assert.That(buffer.IsEmpty, Is.True);
    }
}
