using Filter.Engine.Message;

namespace Filter.Engine.Tests.Message;

/// <summary>RFC5322.From extraction (RFC 9989 §3.2.2, §5.3.1, §11.5) and the known parsing tricks.</summary>
public sealed class AuthorDomainExtractorTests
{
    private static void AssertSingle(AuthorDomainResult result, string domain)
    {
        Assert.That(result.Status, Is.EqualTo(AuthorDomainStatus.Single), result.Reason);
        Assert.That(result.Domain, Is.EqualTo(domain));
    }

    [TestCase("user@example.com", "example.com")]
    [TestCase("Joe Q. Public <john.q.public@Example.COM>", "example.com")]
    [TestCase("\"Brand Support\" <support@example.com>", "example.com")]
    [TestCase(" <a@example.com> ", "example.com")]
    [TestCase("a@example.com.", "example.com")]
    public void OneMailboxGivesItsDomain_Rfc9989Section3_2_2(string value, string domain) =>
        AssertSingle(AuthorDomainExtractor.Extract(value), domain);

    [Test]
    public void TwoDomainsInOneFieldAreMultiple_CVE_2019_16378()
    {
        var result = AuthorDomainExtractor.Extract("a@good.example, b@evil.example");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(AuthorDomainStatus.Multiple));
            Assert.That(result.Domains, Is.EqualTo(new[] { "good.example", "evil.example" }));
            Assert.That(result.Domain, Is.Null, "no single domain for a pass to hang on");
        });
    }

    [Test]
    public void TwoFromFieldsAreMultipleEvenWithOneDomain_CVE_2019_16378()
    {
        var same = AuthorDomainExtractor.Extract(["a@brand.example", "b@brand.example"]);
        var different = AuthorDomainExtractor.Extract(["a@evil.example", "b@brand.example"]);

        Assert.Multiple(() =>
        {
            Assert.That((same.Status, same.FromFieldCount), Is.EqualTo((AuthorDomainStatus.Multiple, 2)), "RFC 5322 3.6: exactly one From field");
            Assert.That(different.Status, Is.EqualTo(AuthorDomainStatus.Multiple));
            Assert.That(different.Domains, Is.EqualTo(new[] { "evil.example", "brand.example" }));
        });
    }

    [Test]
    public void SeveralMailboxesOfOneDomainAreOneAuthorDomain_Rfc9989Section5_3_1()
    {
        var result = AuthorDomainExtractor.Extract("a@example.com, B@EXAMPLE.com");

        AssertSingle(result, "example.com");
        Assert.That(result.MailboxCount, Is.EqualTo(2));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("undisclosed-recipients:;", "group")]
    [TestCase("brand: a@brand.example;", "group")]
    [TestCase("brand: a@brand.example;, b@evil.example", "group")]
    [TestCase("user", "mailbox-list")]
    [TestCase("<>", "mailbox-list")]
    [TestCase("<user>", "domain")]
    [TestCase("a@[192.0.2.1]", "domain")]
    [TestCase("a@b@brand.example", "mailbox-list")]
    [TestCase("Brand <a@brand.example", "mailbox-list")]
    [TestCase("x@evil.example <y@brand.example>", "mailbox-list")]
    [TestCase("a@brand.example; b@evil.example", "mailbox-list")]
    [TestCase("a@=?utf-8?q?brand.example?=", "domain")]
    [TestCase("a@-brand.example", "domain")]
    [TestCase("a@brand..example", "mailbox-list")]
    public void MalformedFromIsReportedNotSkipped_CVE_2021_34555(string value, string reasonPart)
    {
        var result = AuthorDomainExtractor.Extract(value);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(AuthorDomainStatus.Malformed));
            Assert.That(result.Domains, Is.Empty);
            Assert.That(result.Reason, Does.Contain(reasonPart));
        });
    }

    [Test]
    public void OneMalformedFieldSpoilsTheMessage()
    {
        var result = AuthorDomainExtractor.Extract(["a@brand.example", "garbage"]);

        Assert.That(result.Status, Is.EqualTo(AuthorDomainStatus.Malformed));
    }

    [Test]
    public void NoFromFieldIsMissing_Rfc9989Section4_2() =>
        Assert.That(AuthorDomainExtractor.Extract(Array.Empty<string>()).Status, Is.EqualTo(AuthorDomainStatus.Missing));

    [TestCase("\"x@brand.example\"@evil.example")]
    [TestCase("\"a@brand.example, b\"@evil.example")]
    [TestCase("a@evil.example (brand.example)")]
    [TestCase("a@(brand.example)evil.example")]
    [TestCase("(a@brand.example) a@evil.example")]
    [TestCase("brand.example <a@evil.example>")]
    [TestCase("\"a@brand.example\" <a@evil.example>")]
    [TestCase("=?utf-8?q?a=40brand.example=2C?= <x@evil.example>")]
    [TestCase("=?utf-8?b?YUBicmFuZC5leGFtcGxl?= <x@evil.example>")]
    public void OnlyTheAddrSpecDomainCounts_NotLocalPartsCommentsOrDisplayNames(string value) =>
        AssertSingle(AuthorDomainExtractor.Extract(value), "evil.example");

    [TestCase("Joe\r\n <joe@\r\n\texample.com>")]
    [TestCase("Joe\n <joe@example.com>")]
    [TestCase("joe@example.com\r\n")]
    public void FoldedValuesAreUnfolded_Rfc5322Section2_2_3(string value) =>
        AssertSingle(AuthorDomainExtractor.Extract(value), "example.com");

    [TestCase("a@brand.example\r\nFrom: b@evil.example")]
    [TestCase("a@brand.example\rb@evil.example")]
    public void BrokenFoldingIsMalformed(string value) =>
        Assert.That(AuthorDomainExtractor.Extract(value).Status, Is.EqualTo(AuthorDomainStatus.Malformed));

    [TestCase("user@bücher.example")]
    [TestCase("user@BÜCHER.example")]
    [TestCase("user@xn--bcher-kva.example")]
    [TestCase("user@XN--BCHER-KVA.EXAMPLE")]
    public void InternationalizedDomainsBecomeALabels_Rfc9989Section5_3_1(string value) =>
        AssertSingle(AuthorDomainExtractor.Extract(value), "xn--bcher-kva.example");

    [Test]
    public void ULabelAndALabelSpellingsAreOneDomain()
    {
        var result = AuthorDomainExtractor.Extract("a@bücher.example, b@xn--bcher-kva.example");

        AssertSingle(result, "xn--bcher-kva.example");
    }
}
