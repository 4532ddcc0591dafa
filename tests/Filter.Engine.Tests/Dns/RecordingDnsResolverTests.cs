using System.Net;
using Filter.Engine.Dns;

namespace Filter.Engine.Tests.Dns;

/// <summary>
/// <see cref="RecordingDnsResolver"/>: every recorded question, read back from the written zone file by
/// <see cref="ZoneFileReader"/>, answers with the same status and records.
/// </summary>
public sealed class RecordingDnsResolverTests
{
    private static readonly string LongText = "v=spf1 " + new string('a', 300) + " -all";
    private const string Special = "quote\" back\\slash semi; tab\t caf\u00e9 \u00fcber";

    [Test]
    public async Task EveryStatus_RoundTripsThroughTheZoneFile()
    {
        var zone = new DnsZone();
        zone.AddTxt("text.example", Special);
        zone.AddTxt("text.example", LongText);
        zone.AddTxt("text.example", string.Empty);
        zone.AddA("host.example", IPAddress.Parse("192.0.2.1"));
        zone.AddAaaa("host.example", IPAddress.Parse("2001:db8::1"));
        zone.AddMx("mail.example", 10, "mx1.mail.example");
        zone.AddMx("mail.example", 20, "mx2.mail.example");
        zone.AddPtr("1.2.0.192.in-addr.arpa", "host.example");
        zone.AddCname("alias.example", "text.example");
        zone.AddOwner("empty.example");
        zone.AddFailure("slow.example", DnsResponseStatus.Timeout, DnsRecordType.Txt);
        zone.AddFailure("broken.example", DnsResponseStatus.ServerFailure);
        var ttls = new Dictionary<string, TimeSpan> { ["host.example"] = TimeSpan.FromSeconds(300) };
        var recording = new RecordingDnsResolver(new TtlResolver(new ZoneResolver(zone), ttls));

        async Task<List<string>> AskAsync(IDnsResolver resolver)
        {
            var none = CancellationToken.None;
            return
            [
                Show(await resolver.QueryTxtAsync("text.example", none)),
                Show(await resolver.QueryTxtAsync("ALIAS.example.", none)),   // CNAME followed: recorded under the asked name
                Show(await resolver.QueryAAsync("host.example", none)),
                Show(await resolver.QueryAaaaAsync("host.example", none)),
                Show(await resolver.QueryTxtAsync("host.example", none)),      // NODATA beside answers
                Show(await resolver.QueryMxAsync("mail.example", none)),
                Show(await resolver.QueryTxtAsync("mail.example", none)),      // NODATA beside answers
                Show(await resolver.QueryPtrAsync("1.2.0.192.in-addr.arpa", none)),
                Show(await resolver.QueryTxtAsync("example", none)),           // NODATA: empty non-terminal
                Show(await resolver.QueryAAsync("empty.example", none)),       // NODATA: an owner of nothing asked, written as HINFO
                Show(await resolver.QueryAAsync("nowhere.example", none)),     // NXDOMAIN
                Show(await resolver.QueryTxtAsync("slow.example", none)),      // timeout
                Show(await resolver.QueryMxAsync("broken.example", none)),     // SERVFAIL
            ];
        }

        var live = await AskAsync(recording);
        var text = recording.ToZoneFile();
        var read = ZoneFileReader.Read(text);
        Assert.That(read.Errors, Is.Empty, text);
        var replayed = await AskAsync(new ZoneResolver(read.Zone));

        Assert.Multiple(() =>
        {
            Assert.That(replayed, Is.EqualTo(live), text);
            Assert.That(recording.Questions, Has.Count.EqualTo(13));
            Assert.That(read.Zone.GetTtl("host.example", DnsRecordType.A), Is.EqualTo(300u));
            // Knot-loadable: no raw octet outside printable ASCII, specials as \DDD (RFC 1035 §5.1).
            Assert.That(text, Does.Contain("quote\\034 back\\092slash semi\\059 tab\\009 caf\\195\\169"));
            Assert.That(text.All(c => c is '\n' || c is >= ' ' and <= '~'), Is.True);
            Assert.That(text, Does.Contain("; authfilter: timeout slow.example. TXT"));
            Assert.That(text, Does.Contain("; authfilter: servfail broken.example. MX"));
        });
    }

    [Test]
    public async Task FailureDetail_ReplaysWordForWord()
    {
        // A live resolver's own words: reasons quote them (DMARC "DNS error at ...: <detail>"), so a
        // replay must give the same text, not the zone resolver's "injected Timeout".
        const string timeout = "_dmarc.slow.example TXT: no answer (timed out after 2 tries; 192.0.2.53)";
        const string servfail = "broken.example MX: server 192.0.2.53 answered REFUSED";
        var zone = new DnsZone();
        zone.AddFailure("_dmarc.slow.example", DnsResponseStatus.Timeout, DnsRecordType.Txt, timeout);
        zone.AddFailure("broken.example", DnsResponseStatus.ServerFailure, null, servfail);
        var recording = new RecordingDnsResolver(new ZoneResolver(zone));
        await recording.QueryTxtAsync("_dmarc.slow.example", CancellationToken.None);
        await recording.QueryMxAsync("broken.example", CancellationToken.None);

        var text = recording.ToZoneFile();
        var read = ZoneFileReader.Read(text);
        var replay = new ZoneResolver(read.Zone);
        var slow = await replay.QueryTxtAsync("_dmarc.slow.example", CancellationToken.None);
        var broken = await replay.QueryMxAsync("broken.example", CancellationToken.None);
        var other = await replay.QueryAAsync("broken.example", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(read.Errors, Is.Empty, text);
            Assert.That(text, Does.Contain("; authfilter: timeout _dmarc.slow.example. TXT detail: " + timeout + "\n"));
            Assert.That((slow.Status, slow.Detail), Is.EqualTo((DnsResponseStatus.Timeout, timeout)));
            Assert.That((broken.Status, broken.Detail), Is.EqualTo((DnsResponseStatus.ServerFailure, servfail)));
            // Recorded for MX only: another type was never asked, so it is not a failure in the replay.
            Assert.That(other.Status, Is.Not.EqualTo(DnsResponseStatus.ServerFailure), text);
        });
    }

    [Test]
    public async Task RepeatedQuestion_KeepsTheFirstAnswer()
    {
        var zone = new DnsZone();
        zone.AddTxt("a.example", "one");
        var recording = new RecordingDnsResolver(new ZoneResolver(zone));

        await recording.QueryTxtAsync("a.example", CancellationToken.None);
        await recording.QueryTxtAsync("A.EXAMPLE.", CancellationToken.None);

        Assert.That(recording.Questions, Has.Count.EqualTo(1));
    }

    private static string Show<T>(DnsResponse<T> response) =>
        response.Status + ":" + string.Join("|", response.Records.Select(r => r?.ToString()));
}
