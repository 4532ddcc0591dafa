using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Milter.Tests.Client;

public sealed class MilterClientMessageTests
{
    [Test]
    public void Splits_headers_and_body_as_an_mta_hands_them_over()
    {
        byte[] raw = "From: alice@example.org\r\nSubject :\tTabbed\r\nX-Fold: a\r\n  b\r\n\tc\r\n\r\nBody line\r\n\r\nmore\r\n"u8.ToArray();
        var message = MilterClientMessage.Parse(raw, "<alice@example.org>", ["<bob@example.net>"]);
        Assert.Multiple(() =>
        {
            Assert.That(message.Headers.Select(h => h.Name), Is.EqualTo(new[] { "From", "Subject", "X-Fold" }));
            Assert.That(message.Headers.Select(h => h.Value), Is.EqualTo(new[] { " alice@example.org", "\tTabbed", " a\n  b\n\tc" }));
            Assert.That(message.Body.ToArray(), Is.EqualTo("Body line\r\n\r\nmore\r\n"u8.ToArray()));
        });
    }

    [Test]
    public void Accepts_bare_lf_and_keeps_8bit_bytes()
    {
        byte[] raw = [.. "Subject: caf"u8, 0xE9, .. "\n\nx\n"u8];
        var message = MilterClientMessage.Parse(raw, "<>", []);
        Assert.Multiple(() =>
        {
            Assert.That(message.Headers.Single().RawValue.ToArray(), Is.EqualTo(new byte[] { 0x20, 0x63, 0x61, 0x66, 0xE9 }));
            Assert.That(message.Body.ToArray(), Is.EqualTo("x\n"u8.ToArray()));
        });
    }

    [Test]
    public void A_message_without_body_or_blank_line_has_an_empty_body()
    {
        var message = MilterClientMessage.Parse("Subject: only\r\n"u8.ToArray(), "<>", []);
        Assert.That(message.Headers, Has.Count.EqualTo(1));
        Assert.That(message.Body.IsEmpty, Is.True);
    }

    [Test]
    public void A_line_that_is_not_a_header_starts_the_body()
    {
        var message = MilterClientMessage.Parse("Subject: s\r\nnot a header\r\n"u8.ToArray(), "<>", []);
        Assert.That(message.Headers.Select(h => h.Name), Is.EqualTo(new[] { "Subject" }));
        Assert.That(message.Body.ToArray(), Is.EqualTo("not a header\r\n"u8.ToArray()));
    }
}
