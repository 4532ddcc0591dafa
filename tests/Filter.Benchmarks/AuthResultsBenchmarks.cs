using BenchmarkDotNet.Attributes;
using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Spf;

namespace Filter.Benchmarks;

/// <summary>
/// Authentication-Results per message: writing our header (spf + 2 dkim + dmarc, built from the
/// result values as the pipeline will), parsing one such header, and the forged-header check.
/// </summary>
[MemoryDiagnoser]
public class AuthResultsBenchmarks
{
    private readonly AuthenticationResultsFormatter _formatter = new("mx.example.com");
    private readonly AuthenticationResultsOwnership _ownership = new("mx.example.com");
    private readonly SpfResult _spf = new(SpfResultCode.Pass, SpfIdentity.MailFrom, "example.org", "alice@example.org",
        "ip4:192.0.2.0/24", null, "192.0.2.1 matched ip4:192.0.2.0/24");
    private readonly DkimSignatureResult _dkim1 = new(DkimResultCode.Pass, "example.org", "@example.org", "sel1", "rsa-sha256",
        "AbCdEfGh", "signature verified");
    private readonly DkimSignatureResult _dkim2 = new(DkimResultCode.Fail, "mailer.example.net", null, "s2048", "rsa-sha256",
        "Zx/9+kLm", "body hash did not verify");
    private string _header = string.Empty;

    [GlobalSetup]
    public void Setup() => _header = WriteTypicalHeader();

    [Benchmark(Description = "write spf+2dkim+dmarc")]
    public string WriteTypicalHeader() => _formatter.Format([
        MethodResults.FromSpf(_spf),
        MethodResults.FromDkim(_dkim1),
        MethodResults.FromDkim(_dkim2),
        MethodResults.ForDmarc(AuthResultWord.Pass, "example.org", DmarcPolicyWord.Reject, DmarcPolicyWord.None, null),
    ]);

    [Benchmark(Description = "parse spf+2dkim+dmarc")]
    public int ParseTypicalHeader() => AuthenticationResultsParser.Parse(_header).Header!.Results.Count;

    [Benchmark(Description = "classify (forged check)")]
    public bool ClassifyTypicalHeader() => _ownership.Classify(_header).MustRemove;
}
