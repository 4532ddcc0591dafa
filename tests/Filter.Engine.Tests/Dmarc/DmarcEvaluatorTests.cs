using System.Net;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Message;
using Filter.Engine.Spf;
using Filter.Testing.Dns;

namespace Filter.Engine.Tests.Dmarc;

/// <summary>
/// The DMARC matrix over zone data: alignment modes, discovery modes, sp/np, t and pct, DNS trouble,
/// several and malformed From fields, internationalized domains. Each test names its RFC section.
/// </summary>
public sealed class DmarcEvaluatorTests
{
    private static readonly DmarcMode[] BothModes = [DmarcMode.Rfc9989, DmarcMode.Rfc7489];

    private static DnsZone Zone(params (string Name, string Txt)[] records)
    {
        var zone = new DnsZone();
        foreach (var (name, txt) in records)
        {
            zone.AddTxt(name, txt);
        }

        return zone;
    }

    private static DmarcEvaluator Evaluator(DnsZone zone, DmarcMode mode = DmarcMode.Rfc9989, IDmarcSampler? sampler = null, DmarcOptions? options = null) =>
        new(new ZoneResolver(zone), options ?? new DmarcOptions { Mode = mode }, sampler);

    private static SpfResult SpfPass(string domain, SpfIdentity identity = SpfIdentity.MailFrom) =>
        new(SpfResultCode.Pass, identity, domain, "bounce@" + domain, "+all", null, "test");

    private static DkimSignatureResult Dkim(string domain, DkimResultCode code = DkimResultCode.Pass) =>
        new(code, domain, null, "sel", "rsa-sha256", "abcdefgh", "test");

    private static Task<DmarcResult> EvaluateAsync(DmarcEvaluator evaluator, string from, SpfResult? spf, params DkimSignatureResult[] dkim) =>
        evaluator.Start(from, CancellationToken.None).EvaluateAsync(spf, dkim, CancellationToken.None);

    // --- Identifier Alignment (RFC 9989 §4.4, §3.2.10) -------------------------------------------

    [TestCase("example.com", "example.com", DmarcAlignmentMode.Relaxed, true)]
    [TestCase("example.com", "mail.example.com", DmarcAlignmentMode.Relaxed, true)]
    [TestCase("news.example.com", "foo.example.com", DmarcAlignmentMode.Relaxed, true)]
    [TestCase("news.example.com", "foo.example.net", DmarcAlignmentMode.Relaxed, false)]
    [TestCase("example.com", "example.com", DmarcAlignmentMode.Strict, true)]
    [TestCase("example.com", "mail.example.com", DmarcAlignmentMode.Strict, false)]
    [TestCase("mail.example.com", "example.com", DmarcAlignmentMode.Strict, false)]
    [TestCase("Example.COM", "example.com", DmarcAlignmentMode.Strict, true)]
    public async Task SpfAndDkimAlignmentTable_Rfc9989Section4_4(string from, string identifier, DmarcAlignmentMode alignment, bool aligned)
    {
        var tag = alignment == DmarcAlignmentMode.Strict ? "s" : "r";
        var zone = Zone(("_dmarc.example.com", $"v=DMARC1; p=reject; aspf={tag}; adkim={tag}"));
        foreach (var mode in BothModes)
        {
            var evaluator = Evaluator(zone, mode);
            var spfOnly = await EvaluateAsync(evaluator, from, SpfPass(identifier));
            var dkimOnly = await EvaluateAsync(evaluator, from, null, Dkim(identifier));

            Assert.Multiple(() =>
            {
                Assert.That(spfOnly.SpfAligned, Is.EqualTo(aligned), $"{mode} SPF");
                Assert.That(spfOnly.Code, Is.EqualTo(aligned ? DmarcResultCode.Pass : DmarcResultCode.Fail), $"{mode} SPF");
                Assert.That(dkimOnly.DkimAligned, Is.EqualTo(aligned), $"{mode} DKIM");
                Assert.That(dkimOnly.AlignedDkimDomain, Is.EqualTo(aligned ? identifier.ToLowerInvariant() : null), $"{mode} DKIM");
            });
        }
    }

    [Test]
    public async Task AspfAndAdkimAreIndependent_Rfc9989Section4_7()
    {
        var evaluator = Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=reject; aspf=s")));

        var spf = await EvaluateAsync(evaluator, "example.com", SpfPass("bounce.example.com"));
        var dkim = await EvaluateAsync(evaluator, "example.com", null, Dkim("mail.example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(spf.Code, Is.EqualTo(DmarcResultCode.Fail), "aspf=s");
            Assert.That(dkim.Code, Is.EqualTo(DmarcResultCode.Pass), "adkim defaults to r");
        });
    }

    [Test]
    public async Task OnlyTheMailFromIdentityCounts_Rfc9989Section4_4_2()
    {
        var evaluator = Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=reject")));

        var helo = await EvaluateAsync(evaluator, "example.com", SpfPass("example.com", SpfIdentity.Helo));
        var nullSender = await EvaluateAsync(evaluator, "example.com", SpfPass("example.com", SpfIdentity.MailFrom));

        Assert.Multiple(() =>
        {
            Assert.That(helo.Code, Is.EqualTo(DmarcResultCode.Fail), "a HELO-identity pass is not an SPF-Authenticated Identifier");
            Assert.That(helo.SpfAligned, Is.False);
            Assert.That(nullSender.Code, Is.EqualTo(DmarcResultCode.Pass), "postmaster@HELO for a null sender is the MAIL FROM identity (RFC 7208 2.4)");
        });
    }

    [TestCase(SpfResultCode.Fail)]
    [TestCase(SpfResultCode.SoftFail)]
    [TestCase(SpfResultCode.Neutral)]
    [TestCase(SpfResultCode.None)]
    public async Task OnlySpfPassCanAlign_Rfc9989Section4_4_2(SpfResultCode code)
    {
        var evaluator = Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=reject")));

        var result = await EvaluateAsync(evaluator, "example.com", new SpfResult(code, SpfIdentity.MailFrom, "example.com", "a@example.com", null, null, "t"));

        Assert.That(result.Code, Is.EqualTo(DmarcResultCode.Fail));
    }

    [Test]
    public async Task AnAlignedCheckThatEndedInDnsError_IsNeitherPassNorFail_Rfc9989Section5_3_6()
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=reject"), ("_dmarc.strict.example", "v=DMARC1; p=reject; aspf=s; adkim=s"));
        var evaluator = Evaluator(zone);
        SpfResult SpfTempError(string domain) => new(SpfResultCode.TempError, SpfIdentity.MailFrom, domain, "a@" + domain, null, null, "DNS SERVFAIL");

        var spf = await EvaluateAsync(evaluator, "example.com", SpfTempError("bounce.example.com"));
        var dkim = await EvaluateAsync(evaluator, "example.com", null, Dkim("example.com", DkimResultCode.TempError));
        var unaligned = await EvaluateAsync(evaluator, "example.com", SpfTempError("other.example"), Dkim("other.example", DkimResultCode.TempError));
        var strict = await EvaluateAsync(evaluator, "strict.example", SpfTempError("mail.strict.example"), Dkim("mail.strict.example", DkimResultCode.TempError));
        var passAnyway = await EvaluateAsync(evaluator, "example.com", SpfTempError("example.com"), Dkim("example.com"));
        var heloIdentity = await EvaluateAsync(evaluator, "example.com",
            new SpfResult(SpfResultCode.TempError, SpfIdentity.Helo, "mta.example.com", "postmaster@mta.example.com", null, null, "DNS SERVFAIL"));
        var rfc7489 = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc7489), "example.com", SpfTempError("example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(spf.Code, Is.EqualTo(DmarcResultCode.TempError), "the SPF check of an aligned MAIL FROM domain did not complete");
            Assert.That(spf.Disposition, Is.EqualTo(DmarcDisposition.None), "no policy is applied to an undetermined result");
            Assert.That(spf.Reason, Does.Contain("bounce.example.com"));
            Assert.That(dkim.Code, Is.EqualTo(DmarcResultCode.TempError), "the key lookup of an aligned d= did not complete");
            Assert.That(unaligned.Code, Is.EqualTo(DmarcResultCode.Fail), "those checks could not have produced an aligned pass");
            Assert.That(strict.Code, Is.EqualTo(DmarcResultCode.Fail), "under aspf=s and adkim=s a subdomain would not align");
            Assert.That(passAnyway.Code, Is.EqualTo(DmarcResultCode.Pass), "an aligned pass decides whatever else failed");
            Assert.That(heloIdentity.Code, Is.EqualTo(DmarcResultCode.Fail), "the HELO identity is no DMARC input (RFC 9989 4.4.2)");
            Assert.That(rfc7489.Code, Is.EqualTo(DmarcResultCode.Fail), "RFC 7489 has no such rule: no aligned pass is a fail");
        });
    }

    [TestCase(DkimResultCode.Fail)]
    [TestCase(DkimResultCode.Neutral)]
    [TestCase(DkimResultCode.Policy)]
    [TestCase(DkimResultCode.PermError)]
    public async Task OnlyDkimPassCanAlign_Rfc9989Section4_4_1(DkimResultCode code)
    {
        var evaluator = Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=reject")));

        var result = await EvaluateAsync(evaluator, "example.com", null, Dkim("example.com", code));

        Assert.That(result.Code, Is.EqualTo(DmarcResultCode.Fail));
    }

    [Test]
    public async Task AnyAlignedSignatureSuffices_Rfc9989Section4_4_1()
    {
        var evaluator = Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=reject")));

        var result = await EvaluateAsync(evaluator, "example.com", null, Dkim("other.example"), Dkim("example.com", DkimResultCode.Fail), Dkim("mail.example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(result.AlignedDkimDomain, Is.EqualTo("mail.example.com"));
        });
    }

    [Test]
    public async Task RelaxedAlignmentFollowsPsdNoBoundaries_Rfc9989Section4_10_2()
    {
        // dept.example.com says psd=n: it is its own Organizational Domain, so example.com is not aligned
        // with it under RFC 9989; under RFC 7489 the PSL says both are example.com.
        var zone = Zone(("_dmarc.dept.example.com", "v=DMARC1; p=reject; psd=n"), ("_dmarc.example.com", "v=DMARC1; p=none"));

        var treeWalk = await EvaluateAsync(Evaluator(zone), "dept.example.com", null, Dkim("example.com"));
        var psl = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc7489), "dept.example.com", null, Dkim("example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(treeWalk.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(treeWalk.OrganizationalDomain, Is.EqualTo("dept.example.com"));
            Assert.That(psl.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(psl.OrganizationalDomain, Is.EqualTo("example.com"));
        });
    }

    [Test]
    public async Task ForeignIdentifiersNeedNoTreeWalk_Rfc9989Section4_10_2()
    {
        var recorder = new QueryRecordingResolver(new ZoneResolver(Zone(("_dmarc.example.com", "v=DMARC1; p=reject"))));
        var evaluator = new DmarcEvaluator(recorder, new DmarcOptions());
        var evaluation = evaluator.Start("example.com", CancellationToken.None);
        await evaluation.DiscoveryCompletion;
        recorder.Clear();

        var result = await evaluation.EvaluateAsync(SpfPass("bulk.mailer.example.net"), [Dkim("evil.example.org"), Dkim("example.com.evil.example")], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DmarcResultCode.Fail));
            Assert.That(recorder.Queries, Is.Empty, "an identifier outside example.com cannot share its Organizational Domain");
        });
    }

    // --- Policy discovery and the policy that applies (RFC 9989 §4.10.1, RFC 7489 §6.6.3) --------

    [Test]
    public async Task NoRecordMeansNone_Rfc9989Section4_10_1()
    {
        foreach (var mode in BothModes)
        {
            var result = await EvaluateAsync(Evaluator(new DnsZone(), mode), "example.com", SpfPass("example.com"));

            Assert.Multiple(() =>
            {
                Assert.That(result.Code, Is.EqualTo(DmarcResultCode.None), mode.ToString());
                Assert.That(result.Policy, Is.Null);
                Assert.That(result.Disposition, Is.EqualTo(DmarcDisposition.None));
            });
        }
    }

    [Test]
    public async Task OwnRecordUsesP_OrganizationalRecordUsesSp_Rfc9989Section4_10_1()
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"));
        zone.AddA("sub.example.com", IPAddress.Parse("192.0.2.1"));
        foreach (var mode in BothModes)
        {
            var evaluator = Evaluator(zone, mode);
            var own = await EvaluateAsync(evaluator, "example.com", null);
            var sub = await EvaluateAsync(evaluator, "sub.example.com", null);

            Assert.Multiple(() =>
            {
                Assert.That((own.Policy, own.PolicySource, own.Disposition), Is.EqualTo((DmarcPolicy.Reject, DmarcPolicySource.P, DmarcDisposition.Reject)), mode.ToString());
                Assert.That((sub.Policy, sub.PolicySource, sub.Disposition), Is.EqualTo((DmarcPolicy.Quarantine, DmarcPolicySource.Sp, DmarcDisposition.Quarantine)), mode.ToString());
                Assert.That(sub.PolicyDomain, Is.EqualTo("example.com"));
            });
        }
    }

    [TestCase("mx", DmarcPolicySource.Sp)]
    [TestCase("aaaa", DmarcPolicySource.Sp)]
    [TestCase("txt", DmarcPolicySource.Sp)]
    [TestCase("child", DmarcPolicySource.Sp)]
    [TestCase("nothing", DmarcPolicySource.Np)]
    public async Task NpAppliesOnlyToNonExistentSubdomains_Rfc9989Section4_7NpAndA_4(string what, DmarcPolicySource expected)
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine; np=reject"));
        switch (what)
        {
            case "mx":
                zone.AddMx("new.example.com", 10, "mx.example.com");
                break;
            case "aaaa":
                zone.AddAaaa("new.example.com", IPAddress.Parse("2001:db8::1"));
                break;
            case "txt":
                zone.AddTxt("new.example.com", "any record makes the name exist");
                break;
            case "child":
                zone.AddA("host.new.example.com", IPAddress.Parse("192.0.2.9")); // empty non-terminal (RFC 8020)
                break;
            default:
                break;
        }

        var result = await EvaluateAsync(Evaluator(zone), "new.example.com", null);
        var psl = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc7489), "new.example.com", null);

        Assert.Multiple(() =>
        {
            Assert.That(result.PolicySource, Is.EqualTo(expected));
            Assert.That(result.Policy, Is.EqualTo(expected == DmarcPolicySource.Np ? DmarcPolicy.Reject : DmarcPolicy.Quarantine));
            Assert.That(psl.Policy, Is.EqualTo(DmarcPolicy.Quarantine), "RFC 7489 has no np");
        });
    }

    [Test]
    public async Task ExistenceIsNotAskedWhenNpEqualsSp()
    {
        var recorder = new QueryRecordingResolver(new ZoneResolver(Zone(("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"))));

        await new DmarcEvaluator(recorder, new DmarcOptions()).Start("nx.example.com", CancellationToken.None).EvaluateAsync(null, [], CancellationToken.None);

        Assert.That(recorder.Queries.Select(q => q.Type), Is.All.EqualTo(DnsRecordType.Txt));
    }

    [Test]
    public async Task ExistenceTestFailureMakesAFailATempError_Rfc9989Section5_3_6()
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=none; np=reject"));
        zone.AddFailure("new.example.com", DnsResponseStatus.Timeout);

        var fail = await EvaluateAsync(Evaluator(zone), "new.example.com", null);
        var pass = await EvaluateAsync(Evaluator(zone), "new.example.com", null, Dkim("example.com"));

        Assert.Multiple(() =>
        {
            Assert.That(fail.Code, Is.EqualTo(DmarcResultCode.TempError));
            Assert.That(pass.Code, Is.EqualTo(DmarcResultCode.Pass), "a pass does not depend on sp or np");
        });
    }

    [Test]
    public async Task TestModeAppliesThePolicyOneLevelDown_Rfc9989Section4_7T()
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=reject; t=y"), ("_dmarc.example.net", "v=DMARC1; p=quarantine; t=y"), ("_dmarc.example.org", "v=DMARC1; p=none; t=y"));
        var evaluator = Evaluator(zone);

        var reject = await EvaluateAsync(evaluator, "example.com", null);
        var quarantine = await EvaluateAsync(evaluator, "example.net", null);
        var none = await EvaluateAsync(evaluator, "example.org", null);
        var rfc7489 = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc7489), "example.com", null);

        Assert.Multiple(() =>
        {
            Assert.That((reject.Policy, reject.EffectivePolicy, reject.Disposition, reject.TestMode), Is.EqualTo((DmarcPolicy.Reject, DmarcPolicy.Quarantine, DmarcDisposition.Quarantine, true)));
            Assert.That((quarantine.EffectivePolicy, quarantine.Disposition), Is.EqualTo((DmarcPolicy.None, DmarcDisposition.None)));
            Assert.That(none.EffectivePolicy, Is.EqualTo(DmarcPolicy.None), "t has no effect on none");
            Assert.That(rfc7489.Disposition, Is.EqualTo(DmarcDisposition.Reject), "RFC 7489 has no t");
        });
    }

    [Test]
    public async Task PctSamplesFailingMessagesWithTheInjectedSampler_Rfc7489Section6_6_4()
    {
        var zone = Zone(("_dmarc.example.com", "v=DMARC1; p=reject; pct=50"));
        var first = new List<DmarcDisposition>();
        var second = new List<DmarcDisposition>();
        foreach (var list in new[] { first, second })
        {
            var evaluator = Evaluator(zone, DmarcMode.Rfc7489, new SeededDmarcSampler(42));
            for (var i = 0; i < 200; i++)
            {
                list.Add((await EvaluateAsync(evaluator, "example.com", null)).Disposition);
            }
        }

        var rejected = first.Count(d => d == DmarcDisposition.Reject);
        var rfc9989 = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc9989, new SeededDmarcSampler(42)), "example.com", null);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first), "the same seed gives the same choices");
            Assert.That(first, Is.All.AnyOf(DmarcDisposition.Reject, DmarcDisposition.Quarantine), "not sampled: next less strict policy");
            Assert.That(rejected, Is.InRange(60, 140), "about half of 200");
            Assert.That(rfc9989.Disposition, Is.EqualTo(DmarcDisposition.Reject), "RFC 9989 A.6: pct ignored");
        });
    }

    [Test]
    public async Task SeveralRecordsAtTheAuthorDomain_DifferByMode_Rfc9989Section4_10AndRfc7489Section6_6_3()
    {
        var zone = Zone(("_dmarc.mail.example.com", "v=DMARC1; p=reject"), ("_dmarc.mail.example.com", "v=DMARC1; p=none"), ("_dmarc.example.com", "v=DMARC1; p=quarantine"));
        zone.AddA("mail.example.com", IPAddress.Parse("192.0.2.1"));

        var treeWalk = await EvaluateAsync(Evaluator(zone), "mail.example.com", null);
        var psl = await EvaluateAsync(Evaluator(zone, DmarcMode.Rfc7489), "mail.example.com", null);

        Assert.Multiple(() =>
        {
            Assert.That((treeWalk.Code, treeWalk.PolicyDomain, treeWalk.Policy), Is.EqualTo((DmarcResultCode.Fail, "example.com", DmarcPolicy.Quarantine)), "discarded, walk goes on");
            Assert.That(psl.Code, Is.EqualTo(DmarcResultCode.None), "RFC 7489 step 5: discovery ends");
        });
    }

    [Test]
    public async Task InvalidPWithoutRuaMeansNoDmarcProcessing_Rfc9989Section4_10_1()
    {
        var result = await EvaluateAsync(Evaluator(Zone(("_dmarc.example.com", "v=DMARC1; p=bogus"))), "example.com", null);

        Assert.That((result.Code, result.Policy), Is.EqualTo((DmarcResultCode.None, (DmarcPolicy?)null)));
    }

    [Test]
    public async Task PsdRecordAppliesWhenTheOrganizationalDomainHasNone_Rfc9989Section4_10_1()
    {
        var zone = Zone(("_dmarc.example", "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y"));
        zone.AddA("shop.example", IPAddress.Parse("192.0.2.5"));

        var result = await EvaluateAsync(Evaluator(zone), "shop.example", null);

        Assert.Multiple(() =>
        {
            Assert.That(result.PolicyDomain, Is.EqualTo("example"));
            Assert.That(result.OrganizationalDomain, Is.EqualTo("shop.example"));
            Assert.That((result.PolicySource, result.Policy), Is.EqualTo(((DmarcPolicySource?)DmarcPolicySource.Sp, (DmarcPolicy?)DmarcPolicy.Quarantine)));
        });
    }

    // --- DNS trouble (RFC 9989 §5.3.6) -------------------------------------------------------------

    [Test]
    public async Task TimeoutOnThePolicyLookupIsTempError_Rfc9989Section5_3_6()
    {
        var zone = new DnsZone();
        zone.AddFailure("_dmarc.example.com", DnsResponseStatus.Timeout);
        foreach (var mode in BothModes)
        {
            var result = await EvaluateAsync(Evaluator(zone, mode), "example.com", SpfPass("example.com"), Dkim("example.com"));

            Assert.Multiple(() =>
            {
                Assert.That(result.Code, Is.EqualTo(DmarcResultCode.TempError), mode.ToString());
                Assert.That(result.Disposition, Is.EqualTo(DmarcDisposition.None));
                Assert.That(result.Reason, Does.Contain("_dmarc.example.com"));
            });
        }
    }

    [Test]
    public async Task UnknownOrganizationalDomainStillAllowsAnIdenticalPassButNotARelaxedOne_Rfc9989Section5_3_6()
    {
        var zone = Zone(("_dmarc.mail.example.com", "v=DMARC1; p=reject"));
        zone.AddFailure("_dmarc.example.com", DnsResponseStatus.ServerFailure);
        var evaluator = Evaluator(zone);

        var identical = await EvaluateAsync(evaluator, "mail.example.com", null, Dkim("mail.example.com"));
        var relaxed = await EvaluateAsync(evaluator, "mail.example.com", null, Dkim("example.com"));
        var none = await EvaluateAsync(evaluator, "mail.example.com", null);

        Assert.Multiple(() =>
        {
            Assert.That(identical.Code, Is.EqualTo(DmarcResultCode.Pass));
            Assert.That(relaxed.Code, Is.EqualTo(DmarcResultCode.TempError));
            Assert.That(none.Code, Is.EqualTo(DmarcResultCode.Fail), "no passing identifier: fail needs no Organizational Domain");
        });
    }

    // --- Author Domain(s) (RFC 9989 §5.3.1, §11.5) ---------------------------------------------

    [Test]
    public async Task ULabelAndALabelAuthorDomainsCompareEqual_Rfc9989Section5_3_1()
    {
        var zone = Zone(("_dmarc.xn--bcher-kva.example", "v=DMARC1; p=reject; adkim=s"));
        foreach (var mode in BothModes)
        {
            var evaluator = Evaluator(zone, mode);
            var unicodeFrom = await EvaluateAsync(evaluator, "BÜCHER.example", null, Dkim("xn--bcher-kva.example"));
            var asciiFrom = await EvaluateAsync(evaluator, "xn--bcher-kva.example", null, Dkim("bücher.example"));

            Assert.Multiple(() =>
            {
                Assert.That(unicodeFrom.Code, Is.EqualTo(DmarcResultCode.Pass), mode.ToString());
                Assert.That(unicodeFrom.AuthorDomain, Is.EqualTo("xn--bcher-kva.example"));
                Assert.That(asciiFrom.Code, Is.EqualTo(DmarcResultCode.Pass), mode.ToString());
            });
        }
    }

    [Test]
    public async Task SeveralAuthorDomainsAreRejectedByDefault_Rfc9989Section11_5()
    {
        var author = AuthorDomainExtractor.Extract("a@good.example, b@evil.example");
        var evaluator = Evaluator(Zone(("_dmarc.good.example", "v=DMARC1; p=none")));

        var result = await evaluator.Start(author, CancellationToken.None).EvaluateAsync(SpfPass("evil.example"), [Dkim("evil.example")], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DmarcResultCode.PermError));
            Assert.That(result.Disposition, Is.EqualTo(DmarcDisposition.Reject));
            Assert.That(result.AuthorDomain, Is.Null);
        });
    }

    [Test]
    public async Task EvaluateEachTakesTheStrictestOutcome_Rfc9989Section11_5()
    {
        // CVE-2019-16378 shape: the attacker passes for evil.example, but brand.example also claims authorship.
        var zone = Zone(("_dmarc.brand.example", "v=DMARC1; p=reject"), ("_dmarc.evil.example", "v=DMARC1; p=none"), ("_dmarc.soft.example", "v=DMARC1; p=quarantine"));
        var evaluator = Evaluator(zone, options: new DmarcOptions { MultipleAuthorDomains = MultipleAuthorDomainsHandling.EvaluateEach });

        var twoFields = await evaluator.Start(AuthorDomainExtractor.Extract(["a@evil.example", "b@brand.example"]), CancellationToken.None)
            .EvaluateAsync(SpfPass("evil.example"), [Dkim("evil.example")], CancellationToken.None);
        var oneField = await evaluator.Start(AuthorDomainExtractor.Extract("a@soft.example, b@brand.example"), CancellationToken.None)
            .EvaluateAsync(null, [], CancellationToken.None);
        var allPass = await evaluator.Start(AuthorDomainExtractor.Extract("a@evil.example, b@brand.example"), CancellationToken.None)
            .EvaluateAsync(null, [Dkim("evil.example"), Dkim("brand.example")], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That((twoFields.Code, twoFields.AuthorDomain, twoFields.Disposition), Is.EqualTo((DmarcResultCode.Fail, "brand.example", DmarcDisposition.Reject)));
            Assert.That((oneField.AuthorDomain, oneField.Disposition), Is.EqualTo(("brand.example", DmarcDisposition.Reject)), "reject beats quarantine");
            Assert.That(allPass.Code, Is.EqualTo(DmarcResultCode.Pass), "pass only when every Author Domain passes");
        });
    }

    [Test]
    public async Task EvaluateEachHasALimit_Rfc9989Section11_5()
    {
        var evaluator = Evaluator(new DnsZone(), options: new DmarcOptions { MultipleAuthorDomains = MultipleAuthorDomainsHandling.EvaluateEach, MaxAuthorDomains = 2 });

        var result = await evaluator.Start(AuthorDomainExtractor.Extract("a@one.example, b@two.example, c@three.example"), CancellationToken.None)
            .EvaluateAsync(null, [], CancellationToken.None);

        Assert.That((result.Code, result.Disposition), Is.EqualTo((DmarcResultCode.PermError, DmarcDisposition.Reject)));
    }

    [TestCase("")]
    [TestCase("undisclosed-recipients:;")]
    [TestCase("brand: a@brand.example;")]
    [TestCase("user")]
    [TestCase("a@[192.0.2.1]")]
    public async Task MalformedFromIsAPermErrorWithTheConfiguredDisposition_CVE_2021_34555(string from)
    {
        var evaluator = Evaluator(Zone(("_dmarc.brand.example", "v=DMARC1; p=none")), options: new DmarcOptions { UnusableAuthorDisposition = DmarcDisposition.Quarantine });

        var result = await evaluator.Start(AuthorDomainExtractor.Extract(from), CancellationToken.None).EvaluateAsync(SpfPass("brand.example"), [Dkim("brand.example")], CancellationToken.None);

        Assert.That((result.Code, result.Disposition), Is.EqualTo((DmarcResultCode.PermError, DmarcDisposition.Quarantine)));
    }

    [Test]
    public async Task MissingFromIsAPermError_Rfc9989Section4_2()
    {
        var result = await Evaluator(new DnsZone()).Start(AuthorDomainExtractor.Extract(Array.Empty<string>()), CancellationToken.None).EvaluateAsync(null, [], CancellationToken.None);

        Assert.That(result.Code, Is.EqualTo(DmarcResultCode.PermError));
    }

    [Test]
    public async Task PolicyLookupStartsBeforeTheAuthenticationResultsArrive()
    {
        var recorder = new QueryRecordingResolver(new ZoneResolver(Zone(("_dmarc.example.com", "v=DMARC1; p=reject"))));
        var evaluation = new DmarcEvaluator(recorder, new DmarcOptions()).Start("example.com", CancellationToken.None);

        await evaluation.DiscoveryCompletion;

        Assert.That(recorder.TxtNames(), Is.EqualTo(new[] { "_dmarc.example.com", "_dmarc.com" }), "discovery ran at Start, before EvaluateAsync");
    }
}
