using Filter.Engine.Dmarc;

namespace Filter.Engine.Tests.Dmarc;

public sealed class DmarcDomainNameTests
{
    [TestCase("xn--bcher-kva.example", true)]
    [TestCase("XN--bcher-kva.example", true)]
    [TestCase("mail.Xn--bcher-kva.example", true)]
    [TestCase("mail.example.xn--p1ai", true)]
    [TestCase("xn--", true)]
    [TestCase("a.xn--", true)]
    [TestCase("example.com", false)]
    [TestCase("my--domain.example", false)]
    [TestCase("axn--b.example", false)]
    [TestCase("mail.axn--b.example", false)]
    [TestCase("x--n.example", false)]
    [TestCase("n--.example", false)]
    [TestCase("a--b.xn--c--d.example", true)]
    [TestCase("--", false)]
    [TestCase("", false)]
    public void AceLabelIsFoundAtTheStartOfAnyLabelInAnyCase(string name, bool expected) =>
        Assert.That(DmarcDomainName.ContainsAceLabel(name), Is.EqualTo(expected));

    [Test]
    public void UpperCaseAceLabelsNormalizeToTheSameName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DmarcDomainName.TryNormalize("Mail.XN--BCHER-KVA.Example", out var upper, out _), Is.True);
            Assert.That(DmarcDomainName.TryNormalize("bücher.example", out var unicode, out _), Is.True);
            Assert.That(upper, Is.EqualTo("mail." + unicode));
            Assert.That(DmarcDomainName.TryNormalize("My--Domain.Example", out var plain, out _), Is.True);
            Assert.That(plain, Is.EqualTo("my--domain.example"));
        });
    }
}
