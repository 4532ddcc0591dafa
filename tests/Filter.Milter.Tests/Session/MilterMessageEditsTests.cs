using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Milter.Tests.Session;

public sealed class MilterMessageEditsTests
{
    [Test]
    public void Edits_come_out_in_an_order_both_mtas_apply_as_meant()
    {
        var edits = new MilterMessageEdits()
            .Quarantine("dmarc\r\nfail")
            .AddHeader("X-Added", "1")
            .DeleteHeader("Authentication-Results", 1)
            .InsertHeader(0, "Authentication-Results", "mx; spf=pass")
            .DeleteHeader("Authentication-Results", 3)
            .ChangeHeader("Subject", 1, "[SPAM] Hi")
            .ChangeFrom("<bounce@example.org>")
            .ReplaceBody("x"u8.ToArray());
        IReadOnlyList<MilterResponse> list = edits.ToList();
        Assert.That(list, Is.EqualTo(new MilterResponse[]
        {
            new ChangeHeaderResponse(3, "Authentication-Results", string.Empty),
            new ChangeHeaderResponse(1, "Authentication-Results", string.Empty),
            new ChangeHeaderResponse(1, "Subject", "[SPAM] Hi"),
            new InsertHeaderResponse(0, "Authentication-Results", "mx; spf=pass"),
            new AddHeaderResponse("X-Added", "1"),
            new ChangeFromResponse("<bounce@example.org>", null),
            new ReplaceBodyResponse(list[6] is ReplaceBodyResponse body ? body.Chunk : default),
            new QuarantineResponse("dmarc  fail"),
        }));
    }

    [Test]
    public void A_large_body_is_split_into_consecutive_chunks()
    {
        byte[] body = new byte[MilterLimits.MaxChunkSize * 2 + 10];
        IReadOnlyList<MilterResponse> list = new MilterMessageEdits().ReplaceBody(body).ToList();
        Assert.That(list.Cast<ReplaceBodyResponse>().Select(r => r.Chunk.Length), Is.EqualTo(new[] { MilterLimits.MaxChunkSize, MilterLimits.MaxChunkSize, 10 }));
    }
}
