using System.Net;
using Filter.Engine.Dns;
using Filter.Testing.Dns;

namespace Filter.EndToEnd.Tests.Dns;

/// <summary>
/// The DnsClient.NET path against a real authoritative server (knotd on 127.0.0.1) serving
/// Data/Dns/*.zone: every record type, TXT joining and decoding, CNAMEs, NXDOMAIN against NODATA,
/// TCP fallback. No cache here: each query reaches the server.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LiveDnsResolverEndToEndTests
{
    private KnotDnsServer? _server;
    private LiveDnsResolver _resolver = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await KnotRequirement.StartTestZonesAsync();
        _resolver = new LiveDnsResolver(Options(_server));
    }

    [OneTimeTearDown]
    public void StopServer() => _server?.Dispose();

    internal static LiveDnsResolverOptions Options(KnotDnsServer server) => new()
    {
        NameServers = [server.EndPoint],
        Timeout = TimeSpan.FromSeconds(5),
        Retries = 1,
    };

    [Test]
    public async Task AnswersAWithEveryAddressAndTheRecordTtl()
    {
        var response = await _resolver.QueryAAsync("host.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.Answer), response.Detail);
            Assert.That(response.Records, Is.EquivalentTo(new[] { IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11") }));
            Assert.That(response.TimeToLive, Is.EqualTo(TimeSpan.FromSeconds(300)));
        });
    }

    [Test]
    public async Task AnswersAaaa()
    {
        var response = await _resolver.QueryAaaaAsync("host.example.test", CancellationToken.None);

        Assert.That(response.Records, Is.EqualTo(new[] { IPAddress.Parse("2001:db8::10") }), response.Detail);
    }

    [Test]
    public async Task NamesAreCaseInsensitiveAndMayEndWithADot()
    {
        var response = await _resolver.QueryAAsync("HOST.Example.TEST.", CancellationToken.None);

        Assert.That(response.Records, Has.Count.EqualTo(2), response.Detail);
    }

    [Test]
    public async Task AnswersMxWithExchangesWithoutTrailingDot()
    {
        var response = await _resolver.QueryMxAsync("example.test", CancellationToken.None);

        Assert.That(
            response.Records,
            Is.EquivalentTo(new[] { new MxRecord(10, "mx1.example.test"), new MxRecord(20, "mx2.example.test") }),
            response.Detail);
    }

    [Test]
    public async Task ANullMxHasTheRootAsAnEmptyExchange()
    {
        var response = await _resolver.QueryMxAsync("nullmx.example.test", CancellationToken.None);

        Assert.That(response.Records, Is.EqualTo(new[] { new MxRecord(0, string.Empty) }), response.Detail);
    }

    [Test]
    public async Task AnswersPtrWithTargetsWithoutTrailingDot()
    {
        var response = await _resolver.QueryPtrAsync(ReverseName.For(IPAddress.Parse("192.0.2.10")), CancellationToken.None);

        Assert.That(response.Records, Is.EquivalentTo(new[] { "host.example.test", "alt.example.test" }), response.Detail);
    }

    private static IEnumerable<TestCaseData> TxtCases()
    {
        yield return new TestCaseData("multi.example.test", "v=spf1 ip4:192.0.2.0/24 -all").SetName("Txt_StringsJoinedWithNoSeparator");
        yield return new TestCaseData("utf8.example.test", "café €").SetName("Txt_Utf8Octets");
        yield return new TestCaseData("split-utf8.example.test", "café!").SetName("Txt_Utf8CharacterCutBetweenStrings");
        yield return new TestCaseData("bad-utf8.example.test", "\uFFFD\uFFFDok").SetName("Txt_InvalidUtf8BecomesReplacementCharacters");
        yield return new TestCaseData("backslash.example.test", "a\\200b\uFFFD").SetName("Txt_LiteralBackslashDigitsAreNotAnEscape");
        yield return new TestCaseData("quote.example.test", "say \"hi\"; then; go \\ back").SetName("Txt_QuotesSemicolonsAndBackslashAreData");
        yield return new TestCaseData("empty.example.test", string.Empty).SetName("Txt_EmptyString");
        var longText = string.Concat(Enumerable.Range(0, 150).Select(i => i.ToString("000", System.Globalization.CultureInfo.InvariantCulture) + "-"));
        yield return new TestCaseData("long.example.test", longText).SetName("Txt_LongerThan255OctetsJoined");
        yield return new TestCaseData("alias-txt.example.test", "v=spf1 ip4:192.0.2.0/24 -all").SetName("Txt_ThroughCname");
    }

    [TestCaseSource(nameof(TxtCases))]
    public async Task AnswersTxtAsOneJoinedDecodedString(string name, string expected)
    {
        var response = await _resolver.QueryTxtAsync(name, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.Answer), response.Detail);
            Assert.That(response.Records, Is.EqualTo(new[] { expected }));
        });
    }

    [Test]
    public async Task FollowsCnameToTheTargetsAddresses()
    {
        var response = await _resolver.QueryAAsync("alias.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.Answer), response.Detail);
            Assert.That(response.Records, Is.EquivalentTo(new[] { IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11") }));
        });
    }

    [Test]
    public async Task DistinguishesNxDomainFromNoData()
    {
        var missing = await _resolver.QueryTxtAsync("nothing.example.test", CancellationToken.None);
        var noTxt = await _resolver.QueryTxtAsync("host.example.test", CancellationToken.None);
        var emptyNonTerminal = await _resolver.QueryTxtAsync("b.example.test", CancellationToken.None);
        var danglingCname = await _resolver.QueryAAsync("dangling.example.test", CancellationToken.None);
        var cnameOnly = await _resolver.QueryAAsync("outside.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(missing.Status, Is.EqualTo(DnsResponseStatus.NxDomain), missing.Detail);
            Assert.That(missing.TimeToLive, Is.EqualTo(TimeSpan.FromSeconds(120)), "RFC 2308 §5: min(SOA TTL 3600, MINIMUM 120)");
            Assert.That(noTxt.Status, Is.EqualTo(DnsResponseStatus.NoData), noTxt.Detail);
            Assert.That(noTxt.TimeToLive, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(emptyNonTerminal.Status, Is.EqualTo(DnsResponseStatus.NoData), "RFC 8020: an empty non-terminal exists");
            Assert.That(danglingCname.Status, Is.EqualTo(DnsResponseStatus.NxDomain), "RFC 6604 §3: the RCODE is about the chain's end");
            Assert.That(cnameOnly.Status, Is.EqualTo(DnsResponseStatus.NoData), cnameOnly.Detail);
            Assert.That(cnameOnly.Detail, Does.Contain("CNAME to target.elsewhere.invalid"));
            Assert.That(missing.IsVoid && noTxt.IsVoid, Is.True, "both are RFC 7208 §4.6.4 void lookups");
        });
    }

    [Test]
    public async Task FetchesATruncatedRrsetOverTcp()
    {
        var response = await _resolver.QueryTxtAsync("big.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.Answer), response.Detail);
            Assert.That(response.Records, Has.Count.EqualTo(10));
            Assert.That(response.Records, Has.All.Length.EqualTo(250));
            Assert.That(response.Records.Select(r => r[..6]), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"big{i:00}-")));
        });
    }

    [Test]
    public async Task WithoutTcpFallbackATruncatedAnswerIsAServerFailureNotAPartialRrset()
    {
        var udpOnly = new LiveDnsResolver(Options(_server!) with { UseTcpFallback = false });

        var response = await udpOnly.QueryTxtAsync("big.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
            Assert.That(response.Records, Is.Empty);
            Assert.That(response.Detail, Does.Contain("truncated"));
        });
    }

    [Test]
    public async Task NamesThatCannotBeAskedAreNxDomainWithAReason()
    {
        var tooLongLabel = await _resolver.QueryAAsync(new string('a', 64) + ".example.test", CancellationToken.None);
        var emptyLabel = await _resolver.QueryAAsync("a..example.test", CancellationToken.None);
        var notAscii = await _resolver.QueryTxtAsync("bücher.example.test", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tooLongLabel.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(tooLongLabel.Detail, Does.Contain("label longer than 63"));
            Assert.That(emptyLabel.Detail, Does.Contain("empty label"));
            Assert.That(notAscii.Detail, Does.Contain("A-labels"));
        });
    }
}
