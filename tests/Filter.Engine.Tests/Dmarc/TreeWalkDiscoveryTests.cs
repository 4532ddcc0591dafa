using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Testing.Dns;

namespace Filter.Engine.Tests.Dmarc;

/// <summary>RFC 9989 §4.10 DNS Tree Walk over zone data: query sequences, limits and psd stops.</summary>
public sealed class TreeWalkDiscoveryTests
{
    private static (TreeWalkDiscovery Discovery, DmarcRecordLookup Lookup, QueryRecordingResolver Recorder) Build(DnsZone zone, int maxQueries = 8)
    {
        var recorder = new QueryRecordingResolver(new ZoneResolver(zone));
        return (new TreeWalkDiscovery(maxQueries), new DmarcRecordLookup(recorder, DmarcMode.Rfc9989), recorder);
    }

    [Test]
    public async Task ShortNameIsWalkedLabelByLabelToTheTld_Rfc9989Section4_10Step7()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var (discovery, lookup, recorder) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("a.mail.example.com", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.a.mail.example.com", "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com" }));
            Assert.That(result.Status, Is.EqualTo(DmarcDiscoveryStatus.PolicyFound));
            Assert.That(result.PolicyDomain, Is.EqualTo("example.com"));
            Assert.That(result.OrganizationalDomain.Domain, Is.EqualTo("example.com"));
        });
    }

    [TestCase(8, 8)]
    [TestCase(9, 8)]
    [TestCase(13, 8)]
    [TestCase(40, 8)]
    [TestCase(7, 7)]
    public async Task NeverMoreThanEightQueries_Rfc9989Section4_10Step4(int labels, int expectedQueries)
    {
        var name = string.Join('.', Enumerable.Range(0, labels - 2).Select(i => "l" + i)) + ".example.com";
        var (discovery, lookup, recorder) = Build(new DnsZone());

        var result = await discovery.DiscoverPolicyAsync(name, lookup, CancellationToken.None);
        var queries = recorder.TxtNames();

        Assert.Multiple(() =>
        {
            Assert.That(queries, Has.Count.EqualTo(expectedQueries));
            Assert.That(queries[0], Is.EqualTo("_dmarc." + name), "the walk starts at the Author Domain");
            Assert.That(queries[^1], Is.EqualTo("_dmarc.com"), "and ends at the TLD");
            if (labels > 8)
            {
                Assert.That(DmarcDomainName.CountLabels(queries[1]) - 1, Is.EqualTo(7), "the second query jumps to 7 labels");
            }

            Assert.That(result.Status, Is.EqualTo(DmarcDiscoveryStatus.NoPolicy), "RFC 9989 4.10.1: no record, no DMARC");
        });
    }

    [Test]
    public async Task QueryLimitIsConfigurable()
    {
        var (discovery, lookup, recorder) = Build(new DnsZone(), maxQueries: 4);

        await discovery.DiscoverPolicyAsync("a.b.c.d.e.example.com", lookup, CancellationToken.None);

        Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.a.b.c.d.e.example.com", "_dmarc.e.example.com", "_dmarc.example.com", "_dmarc.com" }),
            "4 queries: after the first, jump to limit-1 = 3 labels");
    }

    [Test]
    public async Task PsdYesStopsTheWalkAndTheNameBelowIsTheOrganizationalDomain_Rfc9989Section4_10_2Step2()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.bank.example", "v=DMARC1; p=reject; psd=y");
        zone.AddTxt("_dmarc.example", "v=DMARC1; p=none");
        var (discovery, lookup, recorder) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("mail.giant.bank.example", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.mail.giant.bank.example", "_dmarc.giant.bank.example", "_dmarc.bank.example" }), "psd=y stops: _dmarc.example is not asked");
            Assert.That(result.OrganizationalDomain.Domain, Is.EqualTo("giant.bank.example"));
            Assert.That(result.PolicyDomain, Is.EqualTo("bank.example"), "4.10.1: no record at the Organizational Domain, so the PSD's record applies");
            Assert.That(result.Record!.Policy, Is.EqualTo(DmarcPolicy.Reject));
        });
    }

    [Test]
    public async Task PsdNoStopsTheWalkAndIsTheOrganizationalDomain_Rfc9989Section4_10_2Step1()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.dept.example.com", "v=DMARC1; p=quarantine; psd=n");
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var (discovery, lookup, recorder) = Build(zone);

        var organizational = await discovery.FindOrganizationalDomainAsync("host.dept.example.com", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(organizational.Domain, Is.EqualTo("dept.example.com"));
            Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.host.dept.example.com", "_dmarc.dept.example.com" }));
        });
    }

    [Test]
    public async Task PsdYesAtTheStartNameIsItsOwnOrganizationalDomain_Rfc9989Section4_10_2Step2()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.gov.example", "v=DMARC1; p=reject; psd=y");
        var (discovery, lookup, recorder) = Build(zone);

        var organizational = await discovery.FindOrganizationalDomainAsync("gov.example", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(organizational.Domain, Is.EqualTo("gov.example"), "step 2 excludes the start name; step 3 picks it");
            Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.gov.example" }), "step 2 stops at once");
        });
    }

    [Test]
    public async Task NoRecordAnywhereMakesTheStartNameTheOrganizationalDomain_Rfc9989Section4_10_2()
    {
        var (discovery, lookup, _) = Build(new DnsZone());

        var organizational = await discovery.FindOrganizationalDomainAsync("mail.example.org", lookup, CancellationToken.None);

        Assert.That(organizational.Domain, Is.EqualTo("mail.example.org"));
    }

    [Test]
    public async Task SeveralRecordsAtANameAreDiscardedAndTheWalkGoesOn_Rfc9989Section4_10Step6()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.dept.example.com", "v=DMARC1; p=reject; psd=n");
        zone.AddTxt("_dmarc.dept.example.com", "v=DMARC1; p=none");
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        var (discovery, lookup, _) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("host.dept.example.com", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.PolicyDomain, Is.EqualTo("example.com"));
            Assert.That(result.OrganizationalDomain.Domain, Is.EqualTo("example.com"), "the discarded psd=n does not count");
        });
    }

    [Test]
    public async Task TimeoutAtTheAuthorDomainIsATemporaryError_Rfc9989Section5_3_6()
    {
        var zone = new DnsZone();
        zone.AddFailure("_dmarc.example.com", DnsResponseStatus.Timeout);
        var (discovery, lookup, _) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("example.com", lookup, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(DmarcDiscoveryStatus.TempError));
    }

    [Test]
    public async Task TimeoutHigherUpHidesThePolicyWhenTheAuthorHasNoRecord_Rfc9989Section5_3_6()
    {
        var zone = new DnsZone();
        zone.AddFailure("_dmarc.example.com", DnsResponseStatus.ServerFailure);
        zone.AddTxt("_dmarc.com", "v=DMARC1; p=reject; psd=y");
        var (discovery, lookup, recorder) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("mail.example.com", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(DmarcDiscoveryStatus.TempError));
            Assert.That(result.OrganizationalDomain.Domain, Is.Null);
            Assert.That(recorder.TxtNames(), Has.No.Member("_dmarc.com"), "the walk stops at the failure");
        });
    }

    [Test]
    public async Task TimeoutHigherUpKeepsTheAuthorsOwnPolicyButNotItsOrganizationalDomain()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.mail.example.com", "v=DMARC1; p=reject");
        zone.AddFailure("_dmarc.example.com", DnsResponseStatus.Timeout);
        var (discovery, lookup, _) = Build(zone);

        var result = await discovery.DiscoverPolicyAsync("mail.example.com", lookup, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(DmarcDiscoveryStatus.PolicyFound));
            Assert.That(result.PolicyDomain, Is.EqualTo("mail.example.com"));
            Assert.That(result.OrganizationalDomain.Domain, Is.Null);
            Assert.That(result.OrganizationalDomain.TemporaryError, Does.Contain("_dmarc.example.com"));
        });
    }

    [Test]
    public async Task EachNameIsQueriedOncePerMessage()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var (discovery, lookup, recorder) = Build(zone);

        await discovery.DiscoverPolicyAsync("example.com", lookup, CancellationToken.None);
        await discovery.FindOrganizationalDomainAsync("mail.example.com", lookup, CancellationToken.None);

        Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.example.com", "_dmarc.com", "_dmarc.mail.example.com" }));
    }
}
