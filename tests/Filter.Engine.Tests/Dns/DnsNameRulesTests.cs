using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

[TestFixture]
public sealed class DnsNameRulesTests
{
    [TestCase("example.com")]
    [TestCase("_spf.example.com")]
    [TestCase("a")]
    public void AcceptsNamesThatFitOnTheWire(string name)
    {
        Assert.That(DnsNameRules.IsQueryable(name, out _), Is.True);
    }

    [Test]
    public void AcceptsTheLongestLabelAndName()
    {
        var longestLabel = new string('a', 63) + ".example";
        var longestName = string.Join('.', Enumerable.Repeat(new string('b', 49), 5)) + ".abc"; // 5 × 50 + 3 = 253

        Assert.Multiple(() =>
        {
            Assert.That(longestName, Has.Length.EqualTo(253));
            Assert.That(DnsNameRules.IsQueryable(longestLabel, out _), Is.True);
            Assert.That(DnsNameRules.IsQueryable(longestName, out _), Is.True);
        });
    }

    [TestCase("", "empty name")]
    [TestCase("a..example", "empty label")]
    [TestCase(".example", "empty label")]
    [TestCase("bücher.example", "A-labels")]
    public void RejectsWithAReason(string name, string reason)
    {
        Assert.Multiple(() =>
        {
            Assert.That(DnsNameRules.IsQueryable(name, out var why), Is.False);
            Assert.That(why, Does.Contain(reason));
        });
    }

    [Test]
    public void RejectsOverlongLabelsAnywhereAndOverlongNames()
    {
        var longLabelFirst = new string('a', 64) + ".example";
        var longLabelInside = "x." + new string('a', 64) + ".example";
        var longName = string.Join('.', Enumerable.Repeat(new string('b', 50), 5)) + ".ab";

        Assert.Multiple(() =>
        {
            Assert.That(DnsNameRules.IsQueryable(longLabelFirst, out var first), Is.False);
            Assert.That(first, Does.Contain("longer than 63"));
            Assert.That(DnsNameRules.IsQueryable(longLabelInside, out _), Is.False);
            Assert.That(DnsNameRules.IsQueryable(longName, out var name), Is.False);
            Assert.That(name, Does.Contain("longer than 253"));
        });
    }
}
