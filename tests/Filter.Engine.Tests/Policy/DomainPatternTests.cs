using Filter.Engine.Policy;

namespace Filter.Engine.Tests.Policy;

[TestFixture]
public sealed class DomainPatternTests
{
    [TestCase("example.com", true)]
    [TestCase("EXAMPLE.com", true)]
    [TestCase("example.com.", true)]
    [TestCase("mail.example.com", false)]
    [TestCase("badexample.com", false)]
    [TestCase("example.co", false)]
    [TestCase("", false)]
    public void ExactPatternMatchesOnlyTheDomain(string candidate, bool expected) =>
        Assert.That(new DomainPattern("example.com", SubdomainsOnly: false).Matches(candidate), Is.EqualTo(expected));

    [TestCase("mail.example.com", true)]
    [TestCase("a.b.Example.COM", true)]
    [TestCase("mail.example.com.", true)]
    [TestCase("example.com", false)]
    [TestCase("badexample.com", false)]
    [TestCase(".example.com", false)]
    [TestCase("example.com.evil.test", false)]
    public void WildcardPatternMatchesSubdomainsOnly(string candidate, bool expected) =>
        Assert.That(new DomainPattern("example.com", SubdomainsOnly: true).Matches(candidate), Is.EqualTo(expected));

    [Test]
    public void WritesItselfAsInTheFile()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new DomainPattern("example.com", false).ToString(), Is.EqualTo("example.com"));
            Assert.That(new DomainPattern("example.com", true).ToString(), Is.EqualTo("*.example.com"));
        });
    }
}
