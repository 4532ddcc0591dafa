using Filter.Engine.Caching;

namespace Filter.Engine.Tests.Caching;

public sealed class ParsedTextCacheTests
{
    [Test]
    public void ASeenText_IsNotParsedAgain()
    {
        var cache = new ParsedTextCache<string>(capacity: 4, maxTextLength: 100);
        var parses = new int[1];

        string first = cache.GetOrParse("v=1", parses, static (text, count) => { count[0]++; return text.ToUpperInvariant(); });
        string second = cache.GetOrParse("v=1", parses, static (text, count) => { count[0]++; return text.ToUpperInvariant(); });

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("V=1"));
            Assert.That(second, Is.SameAs(first));
            Assert.That(parses[0], Is.EqualTo(1));
        });
    }

    [Test]
    public void WhenFull_ItStartsOver_AndNeverHoldsMoreThanItsCapacity()
    {
        var cache = new ParsedTextCache<int>(capacity: 3, maxTextLength: 100);
        for (var i = 0; i < 10; i++)
        {
            Assert.That(cache.GetOrParse($"text {i}", i, static (_, value) => value), Is.EqualTo(i));
            Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
        }
    }

    [Test]
    public void LongTexts_AndCapacityZero_AreParsedEveryTime_NotKept()
    {
        var bounded = new ParsedTextCache<int>(capacity: 3, maxTextLength: 5);
        var none = new ParsedTextCache<int>(capacity: 0, maxTextLength: 100);

        Assert.Multiple(() =>
        {
            Assert.That(bounded.GetOrParse("longer than five", 7, static (_, value) => value), Is.EqualTo(7));
            Assert.That(bounded.Count, Is.Zero);
            Assert.That(none.GetOrParse("short", 8, static (_, value) => value), Is.EqualTo(8));
            Assert.That(none.Count, Is.Zero);
        });
    }
}
