using System.Net;
using BenchmarkDotNet.Attributes;
using Filter.Engine.Dkim;
using Filter.Engine.Dmarc;
using Filter.Engine.Dns;
using Filter.Engine.Message;
using Filter.Engine.Spf;

namespace Filter.Benchmarks;

/// <summary>
/// DMARC per message with a warm cache: DNS answers come from a <see cref="ZoneResolver"/> (in memory,
/// as a warm TTL cache would give them), so the figures are the evaluator's own cost: From extraction,
/// record parsing, the Tree Walk or PSL lookup, alignment and policy.
/// </summary>
[MemoryDiagnoser]
public class DmarcBenchmarks
{
    private static readonly SpfResult SpfPass = new(SpfResultCode.Pass, SpfIdentity.MailFrom, "bounces.example.com", "b@bounces.example.com", "ip4:192.0.2.0/24", null, "matched");
    private static readonly SpfResult SpfForeign = new(SpfResultCode.Pass, SpfIdentity.MailFrom, "mailer.example.net", "b@mailer.example.net", "ip4:192.0.2.0/24", null, "matched");
    private static readonly DkimSignatureResult[] DkimPass = [new(DkimResultCode.Pass, "mail.example.com", null, "s1", "rsa-sha256", "AbCdEfGh", "verified")];
    private static readonly DkimSignatureResult[] DkimForeign = [new(DkimResultCode.Pass, "esp.example.org", null, "s1", "rsa-sha256", "AbCdEfGh", "verified")];

    private DmarcEvaluator _treeWalk = null!;
    private DmarcEvaluator _publicSuffixList = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zone = new DnsZone();
        zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.com; fo=1");
        zone.AddTxt("_dmarc.signing.example.com", "v=DMARC1; p=reject");
        zone.AddA("news.example.com", IPAddress.Parse("192.0.2.10"));
        var resolver = new ZoneResolver(zone);
        _treeWalk = new DmarcEvaluator(resolver, new DmarcOptions());
        _publicSuffixList = new DmarcEvaluator(resolver, new DmarcOptions { Mode = DmarcMode.Rfc7489 });
        _ = PublicSuffixList.Embedded.RuleCount; // load the list outside the measurement
    }

    /// <summary>RFC 9989: From header parsed, relaxed SPF and DKIM alignment through Tree Walks, pass.</summary>
    [Benchmark]
    public Task<DmarcResult> TreeWalkRelaxedPass() =>
        _treeWalk.Start(AuthorDomainExtractor.Extract("\"Example News\" <news@news.example.com>"), CancellationToken.None)
            .EvaluateAsync(SpfPass, DkimPass, CancellationToken.None);

    /// <summary>RFC 9989: foreign identifiers only (no walks needed for them), fail with sp.</summary>
    [Benchmark]
    public Task<DmarcResult> TreeWalkFail() =>
        _treeWalk.Start(AuthorDomainExtractor.Extract("news@news.example.com"), CancellationToken.None)
            .EvaluateAsync(SpfForeign, DkimForeign, CancellationToken.None);

    /// <summary>RFC 9989 Appendix B.4.2 shape: a 13-label Author Domain, 8 queries.</summary>
    [Benchmark]
    public Task<DmarcResult> TreeWalkDeep() =>
        _treeWalk.Start("a.b.c.d.e.f.g.h.i.j.k.example.com", CancellationToken.None)
            .EvaluateAsync(SpfPass, DkimPass, CancellationToken.None);

    /// <summary>RFC 7489: Public Suffix List Organizational Domain, relaxed alignment, pass.</summary>
    [Benchmark]
    public Task<DmarcResult> PublicSuffixListRelaxedPass() =>
        _publicSuffixList.Start(AuthorDomainExtractor.Extract("\"Example News\" <news@news.example.com>"), CancellationToken.None)
            .EvaluateAsync(SpfPass, DkimPass, CancellationToken.None);

    /// <summary>RFC5322.From extraction alone (MimeKit's strict address parser, A-label normalization).</summary>
    [Benchmark]
    public AuthorDomainResult ExtractAuthorDomain() => AuthorDomainExtractor.Extract("\"Example News\" <news@news.example.com>");
}
