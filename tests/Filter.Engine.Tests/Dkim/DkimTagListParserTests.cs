using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

[TestFixture]
public sealed class DkimTagListParserTests
{
    [Test]
    public void ReadsTagsWithFoldingAndKeepsInnerWhitespace()
    {
        var list = DkimTagListParser.Parse(" v=1; a = rsa-sha256 ;\r\n\th=from : to;\r\n b=abc\r\n def ;");
        Assert.Multiple(() =>
        {
            Assert.That(list.Error, Is.Null);
            Assert.That(list.Tags.Select(t => t.Name), Is.EqualTo(new[] { "v", "a", "h", "b" }));
            Assert.That(list.GetValue("a"), Is.EqualTo("rsa-sha256"));
            Assert.That(list.GetValue("h"), Is.EqualTo("from : to"));
            Assert.That(list.GetValue("b"), Is.EqualTo("abc\r\n def"));
        });
    }

    [Test]
    public void EmptyValueIsAllowed() =>
        Assert.That(DkimTagListParser.Parse("p=; t=y").GetValue("p"), Is.EqualTo(string.Empty));

    [TestCase("v=1; v=1", "twice")]
    [TestCase("v=1; a", "no '='")]
    [TestCase("1v=1", "tag name")]
    [TestCase("v=1;; a=b", "tag name")]
    [TestCase("v=1; a=b\u0001c", "outside the allowed set")]
    [TestCase("v=1; a=caf\u00e9", "outside the allowed set")]
    [TestCase("=1", "tag name")]
    public void RejectsMalformedLists(string text, string reasonPart)
    {
        var list = DkimTagListParser.Parse(text);
        Assert.That(list.Error, Does.Contain(reasonPart));
    }

    [Test]
    public void TagNamesAreCaseSensitive()
    {
        var list = DkimTagListParser.Parse("V=1; v=2");
        Assert.Multiple(() =>
        {
            Assert.That(list.Error, Is.Null);
            Assert.That(list.GetValue("v"), Is.EqualTo("2"));
        });
    }

    [Test]
    public void RecordsWhereTheValueSitsForBEmptying()
    {
        const string text = " a=x; b=AB CD ; c=y";
        var list = DkimTagListParser.Parse(text);
        Assert.That(list.TryGet("b", out var b), Is.True);
        Assert.That(text[b.ValueStart..b.ValueEnd], Is.EqualTo("AB CD "));
    }
}
