using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

public sealed class SpfRecordParserTests
{
    [TestCase("v=spf1", true)]
    [TestCase("V=SpF1 -all", true)]
    [TestCase("v=spf1  -all", true)]
    [TestCase("v=spf10", false)]
    [TestCase("v=spf1mx", false)]
    [TestCase("spf1 -all", false)]
    public void RecognisesTheVersionTag(string text, bool expected) => Assert.That(SpfRecordParser.IsSpfRecord(text), Is.EqualTo(expected));

    [Test]
    public void ParsesEveryMechanismWithQualifiersAndCidrs()
    {
        var parsed = SpfRecordParser.Parse("v=spf1 +a -a:a.example.com/24 ~mx//64 ?mx:m.example.com/16//48 ptr ptr:p.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{i}.bl.example.com include:i.example.com all redirect=r.example.com exp=e.example.com x-unknown=%{d}");

        Assert.That(parsed.Error, Is.Null);
        var d = parsed.Record!.Directives;
        Assert.Multiple(() =>
        {
            Assert.That(d.Select(x => x.Kind), Is.EqualTo(new[]
            {
                SpfMechanismKind.A, SpfMechanismKind.A, SpfMechanismKind.Mx, SpfMechanismKind.Mx, SpfMechanismKind.Ptr, SpfMechanismKind.Ptr,
                SpfMechanismKind.Ip4, SpfMechanismKind.Ip6, SpfMechanismKind.Exists, SpfMechanismKind.Include, SpfMechanismKind.All,
            }));
            Assert.That(d.Select(x => x.Qualifier).Take(4), Is.EqualTo(new[] { SpfQualifier.Pass, SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral }));
            Assert.That((d[1].Cidr4, d[1].Cidr6), Is.EqualTo((24, 128)));
            Assert.That((d[2].Cidr4, d[2].Cidr6), Is.EqualTo((32, 64)));
            Assert.That((d[3].Cidr4, d[3].Cidr6), Is.EqualTo((16, 48)));
            Assert.That(d[3].DomainSpec!.Literal, Is.EqualTo("m.example.com"));
            Assert.That((d[6].Network4, d[6].Cidr4), Is.EqualTo((0xC0000200u, 24)));
            Assert.That(d[8].DomainSpec!.HasMacros, Is.True);
            Assert.That(parsed.Record.Redirect!.Text, Is.EqualTo("r.example.com"));
            Assert.That(parsed.Record.Explanation!.Text, Is.EqualTo("e.example.com"));
            Assert.That(parsed.Record.HasAll, Is.True);
        });
    }

    [TestCase("v=spf1 -all moo", "position 13", "unknown mechanism")]
    [TestCase("v=spf1 a/33", "position 10", "over 32")]
    [TestCase("v=spf1 a//129", "position 11", "over 128")]
    [TestCase("v=spf1 ip4:1.2.3.4/032", "position 20", "not a CIDR length")]
    [TestCase("v=spf1 ip4:1.2.3", "position 12", "not an IPv4 address")]
    [TestCase("v=spf1 a:example.com:8080", "position 10", "top label")]
    [TestCase("v=spf1 a:museum", "position 10", "does not end in '.'")]
    [TestCase("v=spf1 include:", "position 16", "empty")]
    [TestCase("v=spf1 redirect=a.example.com redirect=b.example.com", "position 31", "more than once")]
    [TestCase("v=spf1 exp=a.example.com exp=b.example.com", "position 26", "more than once")]
    [TestCase("v=spf1 foo=%abc", "position 12", "'%' followed by 'a'")]
    [TestCase("v=spf1 all:x", "position 11", "takes no argument")]
    [TestCase("v=spf1 ptr/0", "position 11", "no CIDR")]
    public void SyntaxErrorsSayWhereAndWhat(string record, string position, string what)
    {
        var parsed = SpfRecordParser.Parse(record);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Record, Is.Null);
            Assert.That(parsed.Error, Does.Contain(position).And.Contain(what));
        });
    }

    [TestCase("v=spf1 default=pass")]
    [TestCase("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all")]
    [TestCase("v=spf1 a:foo.example.xn--zckzah -all")]
    [TestCase("v=spf1 a:foo:bar/baz.example.com")]
    [TestCase("v=spf1 a:%{d} a:%{d}.")]
    [TestCase("v=spf1 ip6:::")]
    [TestCase("v=spf1 ip6:::ffff:1.2.3.4/128 ")]
    public void AcceptsValidOddities(string record) => Assert.That(SpfRecordParser.Parse(record).Error, Is.Null);
}
