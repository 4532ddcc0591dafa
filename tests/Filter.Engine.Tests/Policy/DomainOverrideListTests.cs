using Filter.Engine.Policy;

namespace Filter.Engine.Tests.Policy;

[TestFixture]
public sealed class DomainOverrideListTests
{
    private static readonly DomainOverride ExactPartner = From("partner.example", false, OverrideAction.Accept);
    private static readonly DomainOverride AnyPartner = From("partner.example", true, OverrideAction.Lower);
    private static readonly DomainOverride AnyEuPartner = From("eu.partner.example", true, OverrideAction.Raise);
    private static readonly DomainOverride ListSender = new(
        OverrideIdentity.MailFromDomain, new DomainPattern("lists.example.org", false), OverrideAction.Lower, "mailing list");

    // File order deliberately puts the broader pattern first: precedence must not depend on order.
    private static readonly DomainOverrideList List = new([AnyPartner, ListSender, ExactPartner, AnyEuPartner]);

    [Test]
    public void ExactDomainBeatsWildcard() =>
        Assert.That(List.FindFor(OverrideIdentity.FromDomain, "partner.example"), Is.SameAs(ExactPartner));

    [Test]
    public void LongerWildcardBeatsShorterOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List.FindFor(OverrideIdentity.FromDomain, "mx.eu.partner.example"), Is.SameAs(AnyEuPartner));
            Assert.That(List.FindFor(OverrideIdentity.FromDomain, "us.partner.example"), Is.SameAs(AnyPartner));
        });
    }

    [Test]
    public void IdentitiesAreSeparate()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List.FindFor(OverrideIdentity.MailFromDomain, "partner.example"), Is.Null);
            Assert.That(List.FindFor(OverrideIdentity.FromDomain, "lists.example.org"), Is.Null);
            Assert.That(List.FindFor(OverrideIdentity.MailFromDomain, "LISTS.example.org"), Is.SameAs(ListSender));
        });
    }

    [Test]
    public void FromDomainOverrideWinsOverEnvelopeSenderOverride()
    {
        Assert.Multiple(() =>
        {
            Assert.That(List.Find("partner.example", "lists.example.org"), Is.SameAs(ExactPartner));
            Assert.That(List.Find("unrelated.example", "lists.example.org"), Is.SameAs(ListSender));
            Assert.That(List.Find(null, "lists.example.org"), Is.SameAs(ListSender));
            Assert.That(List.Find("unrelated.example", null), Is.Null);
            Assert.That(DomainOverrideList.Empty.Find("partner.example", "lists.example.org"), Is.Null);
        });
    }

    private static DomainOverride From(string domain, bool subdomainsOnly, OverrideAction action) =>
        new(OverrideIdentity.FromDomain, new DomainPattern(domain, subdomainsOnly), action, null);
}
