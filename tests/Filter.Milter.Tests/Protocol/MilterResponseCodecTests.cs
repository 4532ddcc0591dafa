using System.Buffers;
using Filter.Milter.Protocol;
using Filter.Milter.Tests.Support;

namespace Filter.Milter.Tests.Protocol;

/// <summary>Every response encoded, then decoded whole, one byte per segment and in random segments.</summary>
public sealed class MilterResponseCodecTests
{
    private static IEnumerable<TestCaseData> Responses()
    {
        yield return Case("OPTNEG reply", new NegotiateResponse(6, MilterActionFlags.AddHeaders, MilterProtocolFlags.NoUnknown, []));
        yield return Case("OPTNEG reply with SETSYMLIST", new NegotiateResponse(6, MilterActionFlags.AddHeaders | MilterActionFlags.SetMacroList, MilterProtocolFlags.NoUnknown,
            [new MacroListRequest(MacroStage.Connect, "{client_addr} j"), new MacroListRequest(MacroStage.Mail, "{auth_authen} i")]));
        yield return Case("CONTINUE", SimpleResponse.Continue);
        yield return Case("ACCEPT", SimpleResponse.Accept);
        yield return Case("REJECT", SimpleResponse.Reject);
        yield return Case("TEMPFAIL", SimpleResponse.TempFail);
        yield return Case("DISCARD", SimpleResponse.Discard);
        yield return Case("SKIP", SimpleResponse.Skip);
        yield return Case("PROGRESS", SimpleResponse.Progress);
        yield return Case("SHUTDOWN", SimpleResponse.Shutdown);
        yield return Case("REPLYCODE", new ReplyCodeResponse("550 5.7.1 Blocked by policy"));
        yield return Case("REPLYCODE multi-line", new ReplyCodeResponse("451-4.7.1 Greylisted\r\n451 4.7.1 Try again later"));
        yield return Case("ADDHEADER", new AddHeaderResponse("X-Checked", "yes"));
        yield return Case("ADDHEADER folded", new AddHeaderResponse("Authentication-Results", "mx.example.net;\n\tspf=pass smtp.mailfrom=example.org"));
        yield return Case("INSHEADER", new InsertHeaderResponse(0, "X-First", "yes"));
        yield return Case("CHGHEADER", new ChangeHeaderResponse(1, "Subject", "[SPAM] Hi"));
        yield return Case("CHGHEADER delete", new ChangeHeaderResponse(2, "Received", string.Empty));
        yield return Case("ADDRCPT", new AddRecipientResponse("<carol@example.net>"));
        yield return Case("ADDRCPT_PAR", new AddRecipientWithParametersResponse("<carol@example.net>", "NOTIFY=NEVER"));
        yield return Case("ADDRCPT_PAR without parameters", new AddRecipientWithParametersResponse("<carol@example.net>", null));
        yield return Case("DELRCPT", new DeleteRecipientResponse("<bob@example.net>"));
        yield return Case("CHGFROM", new ChangeFromResponse("<bounce@example.org>", "RET=HDRS"));
        yield return Case("CHGFROM without parameters", new ChangeFromResponse("<>", null));
        yield return Case("REPLBODY", new ReplaceBodyResponse("new body\r\n\0binary\r\n"u8.ToArray()));
        yield return Case("QUARANTINE", new QuarantineResponse("suspicious attachment"));
    }

    private static TestCaseData Case(string name, MilterResponse response) => new TestCaseData(response).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Responses))]
    public void Whole_buffer_round_trips(MilterResponse response)
    {
        byte[] bytes = Frames.Encode(response);
        AssertSame(response, Frames.DecodeResponses(new ReadOnlySequence<byte>(bytes)).Single(), bytes);
    }

    [TestCaseSource(nameof(Responses))]
    public void One_byte_per_segment_round_trips(MilterResponse response)
    {
        byte[] bytes = Frames.Encode(response);
        AssertSame(response, Frames.DecodeResponses(Segments.OneBytePerSegment(bytes)).Single(), bytes);
    }

    [TestCaseSource(nameof(Responses))]
    public void Random_segments_round_trip(MilterResponse response)
    {
        byte[] bytes = Frames.Encode(response);
        for (int seed = 1; seed <= 5; seed++)
        {
            AssertSame(response, Frames.DecodeResponses(Segments.Random(bytes, new Random(seed))).Single(), bytes);
        }
    }

    [Test]
    public void Payloadless_responses_are_exactly_five_bytes()
    {
        foreach (SimpleResponse response in new[] { SimpleResponse.Continue, SimpleResponse.Accept, SimpleResponse.Reject, SimpleResponse.TempFail, SimpleResponse.Discard, SimpleResponse.Skip, SimpleResponse.Progress, SimpleResponse.Shutdown })
        {
            Assert.That(Frames.Encode(response), Is.EqualTo(new byte[] { 0, 0, 0, 1, (byte)response.Code }));
        }
    }

    [TestCase("00000002 63 00", TestName = "CONTINUE with a payload byte")]
    [TestCase("00000005 79 323530 00", TestName = "REPLYCODE 250 is not 4xx or 5xx")]
    [TestCase("00000001 66", TestName = "CONN_FAIL f is never valid")]
    [TestCase("00000001 6C", TestName = "SETSYMLIST l never travels on its own")]
    [TestCase("00000007 65 6100 6200 6300", TestName = "CHGFROM with three strings")]
    [TestCase("00000003 69 0000", TestName = "INSHEADER without index")]
    [TestCase("00000009 4F 0000000600000001", TestName = "OPTNEG reply shorter than 12 bytes")]
    public void Malformed_responses_are_violations(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Hex(hex));
        Assert.That(MilterFrameReader.TryRead(ref buffer, 1000, out MilterFrame frame, out _), Is.EqualTo(MilterFrameStatus.Complete));
        Assert.That(MilterResponseParser.TryParse(frame, out MilterResponse? response, out MilterProtocolViolation? violation), Is.False);
        Assert.That(violation, Is.Not.Null);
        Assert.That(response, Is.Null);
    }

    [Test]
    public void Header_edit_names_are_shared_when_common_and_kept_exactly_otherwise()
    {
        InsertHeaderResponse Decode(string name)
        {
            var buffer = new ReadOnlySequence<byte>(Frames.Encode(new InsertHeaderResponse(0, name, "v")));
            MilterFrameReader.TryRead(ref buffer, 1000, out MilterFrame frame, out _);
            MilterResponseParser.TryParse(frame, out MilterResponse? response, out _);
            return (InsertHeaderResponse)response!;
        }

        string first = Decode("Authentication-Results").Name;
        string second = Decode("Authentication-Results").Name;
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(Decode("authentication-results").Name, Is.EqualTo("authentication-results"));
            Assert.That(Decode("X-Rare").Value, Is.EqualTo("v"));
        });
    }

    private static void AssertSame(MilterResponse expected, MilterResponse actual, byte[] expectedBytes)
    {
        Assert.That(actual.GetType(), Is.EqualTo(expected.GetType()));
        Assert.That(actual.Code, Is.EqualTo(expected.Code));
        Assert.That(Frames.Encode(actual), Is.EqualTo(expectedBytes), "re-encoding the decoded response gives the same bytes");
    }
}
