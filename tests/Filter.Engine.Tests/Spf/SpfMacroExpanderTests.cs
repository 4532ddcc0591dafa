using System.Net;
using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

public sealed class SpfMacroExpanderTests
{
    private static string Expand(string macro, string ip = "192.0.2.3", string sender = "strong-bad@email.example.com", string domain = "email.example.com")
    {
        var at = sender.LastIndexOf('@');
        var context = new SpfCheckContext(
            new SpfClientAddress(IPAddress.Parse(ip)), sender, sender[..at], sender[(at + 1)..], "mx.example.org", "receiver.example", new FixedTimeProvider(1_400_000_000));
        Assert.That(SpfMacroString.TryParse(macro, 0, macro.Length, SpfMacroSyntax.Explanation, out var parsed, out var error), Is.True, error);
        return SpfMacroExpander.Expand(parsed!, context, domain, validatedName: "mx.example.org");
    }

    // The examples of RFC 7208 §7.4, sender strong-bad@email.example.com, IPv4 192.0.2.3.
    [TestCase("%{s}", "strong-bad@email.example.com")]
    [TestCase("%{o}", "email.example.com")]
    [TestCase("%{d}", "email.example.com")]
    [TestCase("%{d4}", "email.example.com")]
    [TestCase("%{d3}", "email.example.com")]
    [TestCase("%{d2}", "example.com")]
    [TestCase("%{d1}", "com")]
    [TestCase("%{dr}", "com.example.email")]
    [TestCase("%{d2r}", "example.email")]
    [TestCase("%{l}", "strong-bad")]
    [TestCase("%{l-}", "strong.bad")]
    [TestCase("%{lr}", "strong-bad")]
    [TestCase("%{lr-}", "bad.strong")]
    [TestCase("%{l1r-}", "strong")]
    [TestCase("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [TestCase("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [TestCase("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [TestCase("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [TestCase("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void ExpandsTheRfcExamples(string macro, string expected) => Assert.That(Expand(macro), Is.EqualTo(expected));

    [Test]
    public void ExpandsTheRfcIPv6Example() =>
        Assert.That(
            Expand("%{ir}.%{v}._spf.%{d2}", ip: "2001:db8::cb01"),
            Is.EqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"));

    [TestCase("%%", "%")]
    [TestCase("%_", " ")]
    [TestCase("%-", "%20")]
    [TestCase("a%%b%_c%-d", "a%b c%20d")]
    public void ExpandsEscapes(string macro, string expected) => Assert.That(Expand(macro), Is.EqualTo(expected));

    [Test]
    public void UpperCaseLettersAreUrlEscaped() =>
        Assert.That(Expand("%{L}", sender: "~jack&jill=up-a_b3.c@example.com"), Is.EqualTo("~jack%26jill%3Dup-a_b3.c"));

    [Test]
    public void UrlEscapingUsesUtf8Bytes() =>
        Assert.That(Expand("%{L}", sender: "jürgen@example.com"), Is.EqualTo("j%C3%BCrgen"));

    [TestCase("%{c}", "192.0.2.3")]
    [TestCase("%{r}", "receiver.example")]
    [TestCase("%{t}", "1400000000")]
    [TestCase("%{h}", "mx.example.org")]
    [TestCase("%{p}", "mx.example.org")]
    public void ExpandsExplanationOnlyAndOtherLetters(string macro, string expected) => Assert.That(Expand(macro), Is.EqualTo(expected));

    [Test]
    public void CExpandsIPv6InReadableForm() => Assert.That(Expand("%{c}", ip: "2001:DB8::CB01"), Is.EqualTo("2001:db8::cb01"));

    [Test]
    public void IPv4MappedClientExpandsAsIPv4() =>
        Assert.That(Expand("%{i} %{v}", ip: "::ffff:192.0.2.3"), Is.EqualTo("192.0.2.3 in-addr"));

    [Test]
    public void SeveralDelimitersSplitTogether() =>
        Assert.That(Expand("%{l2r+-}", sender: "foo-bar+zip+quux@example.com"), Is.EqualTo("bar.foo"));

    [Test]
    public void DigitsLargerThanThePartCountKeepEverything() => Assert.That(Expand("%{d200}"), Is.EqualTo("email.example.com"));

    [TestCase("%{d0}", "position 4")]
    [TestCase("%{x}", "position 3")]
    [TestCase("%{d", "position 4")]
    [TestCase("abc%", "position 4")]
    [TestCase("%a", "position 1")]
    public void SyntaxErrorsNameTheirPosition(string macro, string position)
    {
        var ok = SpfMacroString.TryParse(macro, 0, macro.Length, SpfMacroSyntax.Explanation, out _, out var error);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Does.StartWith(position));
        });
    }

    [TestCase("c")]
    [TestCase("r")]
    [TestCase("t")]
    public void ExplanationOnlyLettersAreRejectedInDomainSpecs(string letter)
    {
        var text = "%{" + letter + "}.example.com";
        var ok = SpfMacroString.TryParse(text, 0, text.Length, SpfMacroSyntax.DomainSpec, out _, out var error);
        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Does.Contain("only in explanation"));
        });
    }
}
