using System.Net;
using System.Text;
using Filter.Engine.Dns;
using Filter.Testing;

namespace Filter.Engine.Tests.Dns;

public sealed class ZoneFileReaderTests
{
    private const string FileName = "test.zone";

    private static ZoneFileReadResult Read(string text, string? origin = null, string? baseDirectory = null) =>
        ZoneFileReader.Read(text, new ZoneFileReaderOptions { FileName = FileName, Origin = origin, BaseDirectory = baseDirectory });

    private static DnsZone Load(string text, string? origin = null)
    {
        var result = Read(text, origin);
        Assert.That(result.Errors, Is.Empty, () => string.Join(Environment.NewLine, result.Errors));
        return result.Zone;
    }

    private static async Task<DnsResponse<string>> TxtAsync(DnsZone zone, string name) =>
        await new ZoneResolver(zone).QueryTxtAsync(name, CancellationToken.None);

    private static async Task<DnsResponse<IPAddress>> AAsync(DnsZone zone, string name) =>
        await new ZoneResolver(zone).QueryAAsync(name, CancellationToken.None);

    /// <summary>Reads text that has exactly one error, and checks where it is and what it says.</summary>
    private static ZoneFileError SingleError(string text, int line, int column, string messagePart, string? origin = null)
    {
        var result = Read(text, origin);
        Assert.That(result.Errors, Has.Count.EqualTo(1), () => string.Join(Environment.NewLine, result.Errors));
        var error = result.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(error.File, Is.EqualTo(FileName));
            Assert.That((error.Line, error.Column), Is.EqualTo((line, column)), error.ToString());
            Assert.That(error.Message, Does.Contain(messagePart));
        });
        return error;
    }

    // ---------------------------------------------------------------- names, origin, owners

    [Test]
    public async Task OriginAtSignRelativeAbsoluteAndBlankOwner()
    {
        var zone = Load("""
            $ORIGIN example.com.
            @           IN TXT "apex"
            www         IN A   192.0.2.1
                        IN TXT "www again"
            other.test. IN TXT "absolute"
            $ORIGIN sub
            deep        IN TXT "relative origin"
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "example.com")).Records, Is.EqualTo(new[] { "apex" }));
            Assert.That((await AAsync(zone, "www.example.com")).Records, Is.EqualTo(new[] { IPAddress.Parse("192.0.2.1") }));
            Assert.That((await TxtAsync(zone, "WWW.example.com")).Records, Is.EqualTo(new[] { "www again" }), "blank owner repeats the previous owner");
            Assert.That((await TxtAsync(zone, "other.test")).Records, Is.EqualTo(new[] { "absolute" }));
            Assert.That((await TxtAsync(zone, "other.test.example.com")).Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That((await TxtAsync(zone, "deep.sub.example.com")).Records, Is.EqualTo(new[] { "relative origin" }), "RFC 1035 §5.1: a relative $ORIGIN extends the current one");
        });
    }

    [Test]
    public async Task OriginFromOptionsAppliesUntilTheFirstOriginLine()
    {
        var zone = Load("""
            @   TXT "from options"
            $ORIGIN example.net.
            @   TXT "from the file"
            """, origin: "example.org");

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "example.org")).Records, Is.EqualTo(new[] { "from options" }));
            Assert.That((await TxtAsync(zone, "example.net")).Records, Is.EqualTo(new[] { "from the file" }));
        });
    }

    [Test]
    public async Task WildcardAndUnderscoreOwnersAreNames()
    {
        var zone = Load("""
            $ORIGIN example.com.
            *.wild          TXT "wildcard"
            _dmarc          TXT "v=DMARC1; p=none"
            sel._domainkey  TXT "v=DKIM1; p="
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "anything.wild.example.com")).Records, Is.EqualTo(new[] { "wildcard" }));
            Assert.That((await TxtAsync(zone, "_dmarc.example.com")).Records, Is.EqualTo(new[] { "v=DMARC1; p=none" }));
            Assert.That((await TxtAsync(zone, "sel._domainkey.example.com")).Records, Is.EqualTo(new[] { "v=DKIM1; p=" }));
        });
    }

    [Test]
    public async Task EscapesInNamesAreDecoded()
    {
        var zone = Load("a\\098c.example.  TXT \"escaped\"\n");

        Assert.That((await TxtAsync(zone, "abc.example")).Records, Is.EqualTo(new[] { "escaped" }));
    }

    // ---------------------------------------------------------------- TTL and class

    [Test]
    public void TtlAndClassInEitherOrderAndTtlDefaults()
    {
        var zone = Load("""
            $ORIGIN example.com.
            a   300 IN A 192.0.2.1
            b   IN 1h30m A 192.0.2.2
            c   A 192.0.2.3
            $TTL 2d
            d   A 192.0.2.4
            e   1W TXT "weeks"
            f   IN TXT "class only"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(zone.GetTtl("a.example.com", DnsRecordType.A), Is.EqualTo(300u));
            Assert.That(zone.GetTtl("b.example.com", DnsRecordType.A), Is.EqualTo(5400u));
            Assert.That(zone.GetTtl("c.example.com", DnsRecordType.A), Is.EqualTo(5400u), "RFC 1035 §5.1: the last explicit TTL");
            Assert.That(zone.GetTtl("d.example.com", DnsRecordType.A), Is.EqualTo(172800u), "RFC 2308 §4: $TTL");
            Assert.That(zone.GetTtl("e.example.com", DnsRecordType.Txt), Is.EqualTo(604800u));
            Assert.That(zone.GetTtl("f.example.com", DnsRecordType.Txt), Is.EqualTo(172800u));
        });
    }

    [Test]
    public void DefaultTtlAppliesWhenNothingIsStatedAndAnRrsetKeepsItsLowestTtl()
    {
        var zone = Load("""
            a.example. A 192.0.2.1
            b.example. 600 A 192.0.2.1
            b.example. 60 A 192.0.2.2
            """);

        Assert.Multiple(() =>
        {
            Assert.That(zone.GetTtl("a.example", DnsRecordType.A), Is.EqualTo(ZoneFileReaderOptions.Default.DefaultTtl));
            Assert.That(zone.GetTtl("b.example", DnsRecordType.A), Is.EqualTo(60u), "RFC 2181 §5.2");
            Assert.That(zone.GetTtl("b.example", DnsRecordType.Txt), Is.Null);
        });
    }

    // ---------------------------------------------------------------- lexical features

    [Test]
    public async Task ParenthesesSpanLinesAndCommentsAreIgnored()
    {
        var zone = Load("""
            ; a comment line
            example.com. IN TXT ( "v=spf1 "   ; first part
                                  "ip4:192.0.2.0/24 "
                                  "-all" )    ; last part
            example.com. IN A 192.0.2.1 ; trailing comment with "quotes" and (parens)
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "example.com")).Records, Is.EqualTo(new[] { "v=spf1 ip4:192.0.2.0/24 -all" }));
            Assert.That((await AAsync(zone, "example.com")).Records, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task QuotedStringEscapes()
    {
        var zone = Load("""
            q.example. TXT "say \"hi\" \\ back\\slash \065\066\067 semi\;colon (not a paren)"
            """);

        Assert.That((await TxtAsync(zone, "q.example")).Records, Is.EqualTo(new[] { "say \"hi\" \\ back\\slash ABC semi;colon (not a paren)" }));
    }

    [Test]
    public async Task MultiStringTxtIsJoinedWithNoSeparatorAndEachRecordStaysApart()
    {
        var zone = Load("""
            m.example. TXT "v=spf1 " "a" "" " -all"
            m.example. TXT "second record"
            e.example. TXT ""
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "m.example")).Records, Is.EqualTo(new[] { "v=spf1 a -all", "second record" }), "RFC 7208 §3.3");
            Assert.That((await TxtAsync(zone, "e.example")).Records, Is.EqualTo(new[] { "" }));
        });
    }

    [Test]
    public async Task UnquotedTxtWordsAreCharacterStrings()
    {
        var zone = Load("u.example. TXT v=spf1 \\032-all\n");

        Assert.That((await TxtAsync(zone, "u.example")).Records, Is.EqualTo(new[] { "v=spf1 -all" }), "each bare word is one character-string, joined with no separator");
    }

    [Test]
    public async Task NonAsciiOctetsAreReadAsUtf8WithReplacementForInvalidSequences()
    {
        var zone = Load("""
            bom.example.  TXT "\239\187\191v=spf1 -all"
            raw.example.  TXT "café ☕"
            bad.example.  TXT "x\255y"
            split.example. TXT "caf\195" "\169"
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "bom.example")).Records, Is.EqualTo(new[] { "\uFEFFv=spf1 -all" }));
            Assert.That((await TxtAsync(zone, "raw.example")).Records, Is.EqualTo(new[] { "café ☕" }));
            Assert.That((await TxtAsync(zone, "bad.example")).Records, Is.EqualTo(new[] { "x\uFFFDy" }));
            Assert.That((await TxtAsync(zone, "split.example")).Records, Is.EqualTo(new[] { "café" }), "strings are joined as octets before decoding");
        });
    }

    [Test]
    public void ACharacterStringOf255OctetsIsAccepted()
    {
        var zone = Load($"l.example. TXT \"{new string('a', 255)}\" \"{new string('b', 255)}\"\n");

        Assert.That(zone.OwnerNames, Does.Contain("l.example"));
    }

    [Test]
    public async Task CrLfLineEndingsAndByteOrderMarkAreHandled()
    {
        var zone = Load("\uFEFF$ORIGIN example.com.\r\n@ TXT ( \"a\"\r\n \"b\" ) ; c\r\nwww A 192.0.2.1\r\n; authfilter: timeout slow\r\n");

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "example.com")).Records, Is.EqualTo(new[] { "ab" }));
            Assert.That((await AAsync(zone, "www.example.com")).Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That((await TxtAsync(zone, "slow.example.com")).Status, Is.EqualTo(DnsResponseStatus.Timeout));
        });
    }

    // ---------------------------------------------------------------- record types

    [Test]
    public async Task ReadsEveryKeptType()
    {
        var zone = Load("""
            $ORIGIN example.com.
            @      A     192.0.2.1
            @      AAAA  2001:db8::1
            @      AAAA  ::ffff:192.0.2.1
            @      MX    10 mail
            @      MX    20 mx.example.net.
            mail   A     192.0.2.10
            alias  CNAME mail
            $ORIGIN 2.0.192.in-addr.arpa.
            10     PTR   mail.example.com.
            null.example. MX 0 .
            """);
        var resolver = new ZoneResolver(zone);

        var aaaa = await resolver.QueryAaaaAsync("example.com", CancellationToken.None);
        var mx = await resolver.QueryMxAsync("example.com", CancellationToken.None);
        var alias = await resolver.QueryAAsync("alias.example.com", CancellationToken.None);
        var ptr = await resolver.QueryPtrAsync(ReverseName.For(IPAddress.Parse("192.0.2.10")), CancellationToken.None);
        var nullMx = await resolver.QueryMxAsync("null.example", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(aaaa.Records, Is.EqualTo(new[] { IPAddress.Parse("2001:db8::1"), IPAddress.Parse("::ffff:192.0.2.1") }));
            Assert.That(mx.Records, Is.EqualTo(new[] { new MxRecord(10, "mail.example.com"), new MxRecord(20, "mx.example.net") }));
            Assert.That(alias.Records, Is.EqualTo(new[] { IPAddress.Parse("192.0.2.10") }), "the CNAME is followed");
            Assert.That(ptr.Records, Is.EqualTo(new[] { "mail.example.com" }));
            Assert.That(nullMx.Records, Is.EqualTo(new[] { new MxRecord(0, "") }), "RFC 7505 null MX");
        });
    }

    [Test]
    public async Task SkippedTypesAreCheckedAndTheirOwnerExists()
    {
        var zone = Load("""
            $ORIGIN example.com.
            @   3600 IN SOA ns1 hostmaster (
                        2026112501 ; serial
                        7200       ; refresh
                        1h         ; retry
                        2w         ; expire
                        300 )      ; minimum
            @        NS    ns1
            ns1      A     192.0.2.53
            @        CAA   0 issue "ca.example.net"
            secure   DS    12345 13 2 ( 49FD46E6C4B45C55D4AC69CBD3CD3440
                                        9CA0A22E6B09A6E0F47D5F38DC2A1EC9 )
            @        SRV   0 5 25 mail
            legacy   SPF   "v=spf1 -all"
            generic  TYPE65400 \# 2 abcd
            """);

        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(zone, "secure.example.com")).Status, Is.EqualTo(DnsResponseStatus.NoData), "a DS owner exists");
            Assert.That((await TxtAsync(zone, "legacy.example.com")).Status, Is.EqualTo(DnsResponseStatus.NoData), "RFC 7208 §3.1: type 99 is never served as TXT");
            Assert.That((await TxtAsync(zone, "generic.example.com")).Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That((await AAsync(zone, "ns1.example.com")).Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That((await TxtAsync(zone, "example.com")).Status, Is.EqualTo(DnsResponseStatus.NoData), "SOA, NS, CAA and SRV are read and left out");
        });
    }

    // ---------------------------------------------------------------- $INCLUDE

    [Test]
    public async Task IncludeIsRelativeToTheIncludingFileAndKeepsTheParentOrigin()
    {
        using var folder = new TemporaryFolder();
        folder.Write("main.zone", """
            $ORIGIN example.com.
            $INCLUDE sub/keys.zone _domainkey
            after TXT "parent origin again"
            """);
        folder.Write("sub/keys.zone", """
            sel  TXT "v=DKIM1; p="
            $INCLUDE more.zone
            """);
        folder.Write("sub/more.zone", "other TXT \"nested\"\n");

        var result = ZoneFileReader.ReadFile(folder.PathOf("main.zone"));

        Assert.That(result.Errors, Is.Empty, () => string.Join(Environment.NewLine, result.Errors));
        Assert.Multiple(async () =>
        {
            Assert.That((await TxtAsync(result.Zone, "sel._domainkey.example.com")).Records, Is.EqualTo(new[] { "v=DKIM1; p=" }));
            Assert.That((await TxtAsync(result.Zone, "other._domainkey.example.com")).Records, Is.EqualTo(new[] { "nested" }));
            Assert.That((await TxtAsync(result.Zone, "after.example.com")).Records, Is.EqualTo(new[] { "parent origin again" }), "RFC 1035 §5.1");
        });
    }

    [Test]
    public async Task IncludeFromTextIsRelativeToTheBaseDirectory()
    {
        using var folder = new TemporaryFolder();
        folder.Write("inc.zone", "@ TXT \"included\"\n");

        var result = Read("$INCLUDE inc.zone example.org.\n", baseDirectory: folder.Path);

        Assert.That(result.Errors, Is.Empty, () => string.Join(Environment.NewLine, result.Errors));
        Assert.That((await TxtAsync(result.Zone, "example.org")).Records, Is.EqualTo(new[] { "included" }));
    }

    [Test]
    public void IncludeLoopStopsAtTheDepthLimit()
    {
        using var folder = new TemporaryFolder();
        folder.Write("loop.zone", "a.example. TXT \"x\"\n$INCLUDE loop.zone\n");

        var result = ZoneFileReader.ReadFile(folder.PathOf("loop.zone"), new ZoneFileReaderOptions { MaxIncludeDepth = 3 });

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors[0].File, Is.EqualTo(folder.PathOf("loop.zone")));
            Assert.That((result.Errors[0].Line, result.Errors[0].Column), Is.EqualTo((2, 10)));
            Assert.That(result.Errors[0].Message, Does.Contain("deeper than 3"));
            Assert.That(result.Zone.OwnerNames, Is.EqualTo(new[] { "a.example" }));
        });
    }

    [Test]
    public void MissingIncludeIsAnErrorAtTheIncludeLine()
    {
        using var folder = new TemporaryFolder();

        var result = Read("a.example. TXT \"x\"\n$INCLUDE nowhere.zone\n", baseDirectory: folder.Path);

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That((result.Errors[0].File, result.Errors[0].Line, result.Errors[0].Column), Is.EqualTo((FileName, 2, 10)));
            Assert.That(result.Errors[0].Message, Does.Contain("does not exist"));
        });
    }

    [Test]
    public void ErrorsInAnIncludedFileNameThatFile()
    {
        using var folder = new TemporaryFolder();
        folder.Write("main.zone", "$INCLUDE bad.zone example.com.\n");
        folder.Write("bad.zone", "\n@ A 192.0.2.300\n");

        var result = ZoneFileReader.ReadFile(folder.PathOf("main.zone"));

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That((result.Errors[0].File, result.Errors[0].Line, result.Errors[0].Column), Is.EqualTo((folder.PathOf("bad.zone"), 2, 5)));
    }

    // ---------------------------------------------------------------- failure directives

    [Test]
    public async Task TimeoutAndServfailDirectivesRoundTripThroughTheResolver()
    {
        var zone = Load("""
            $ORIGIN example.com.
            ; authfilter: timeout slow.example.com.
            ; authfilter: timeout halfslow TXT
            ;authfilter:servfail @ mx
            ; AUTHFILTER: servfail broken.example.net. A
            halfslow  A   192.0.2.5
            ; a comment that mentions authfilter: is not a directive unless it starts with it
            """);
        var resolver = new ZoneResolver(zone);

        Assert.Multiple(async () =>
        {
            Assert.That((await resolver.QueryTxtAsync("slow.example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That((await resolver.QueryAaaaAsync("slow.example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That((await resolver.QueryTxtAsync("halfslow.example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That((await resolver.QueryAAsync("halfslow.example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That((await resolver.QueryMxAsync("halfslow.example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.NoData), "the failure was for TXT only");
            Assert.That((await resolver.QueryMxAsync("example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
            Assert.That((await resolver.QueryTxtAsync("example.com", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That((await resolver.QueryAAsync("broken.example.net", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.ServerFailure));
            Assert.That((await resolver.QueryTxtAsync("broken.example.net", CancellationToken.None)).Status, Is.EqualTo(DnsResponseStatus.NoData));
        });
    }

    [Test]
    public async Task DirectiveAfterARecordOnTheSameLineApplies()
    {
        var zone = Load("t.example. A 192.0.2.1 ; authfilter: timeout t.example. TXT\n");

        Assert.That((await TxtAsync(zone, "t.example")).Status, Is.EqualTo(DnsResponseStatus.Timeout));
    }

    [TestCase("; authfilter: nxdomain a.example.", 1, 15, "unknown directive 'nxdomain'")]
    [TestCase("; authfilter: timeout", 1, 15, "expected a name after 'timeout'")]
    [TestCase("; authfilter:", 1, 14, "expected timeout or servfail")]
    [TestCase("; authfilter: servfail a.example. CNAME", 1, 35, "'CNAME' is not a type the engine queries")]
    [TestCase("; authfilter: servfail a.example. TXT extra", 1, 39, "unexpected 'extra'")]
    [TestCase("; authfilter: timeout relative", 1, 23, "needs an origin")]
    [TestCase("; authfilter: timeout a..example.", 1, 23, "empty label")]
    public void BadDirectivesAreErrors(string text, int line, int column, string message) =>
        SingleError(text + "\n", line, column, message);

    // ---------------------------------------------------------------- a whole round trip

    [Test]
    public async Task RoundTripThroughZoneResolver()
    {
        var zone = Load("""
            $TTL 300
            $ORIGIN example.com.
            @       TXT   "v=spf1 mx -all"
            @       MX    10 mail
            mail    A     192.0.2.10
            a.b     TXT   "below an empty non-terminal"
            ; authfilter: timeout dns-down TXT
            """);
        var resolver = new ZoneResolver(zone);

        var answer = await resolver.QueryTxtAsync("example.com", CancellationToken.None);
        var noData = await resolver.QueryAAsync("example.com", CancellationToken.None);
        var emptyNonTerminal = await resolver.QueryTxtAsync("b.example.com", CancellationToken.None);
        var nxDomain = await resolver.QueryTxtAsync("missing.example.com", CancellationToken.None);
        var timeout = await resolver.QueryTxtAsync("dns-down.example.com", CancellationToken.None);
        var timeoutOtherType = await resolver.QueryAAsync("dns-down.example.com", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(DnsResponseStatus.Answer));
            Assert.That(answer.Records, Is.EqualTo(new[] { "v=spf1 mx -all" }));
            Assert.That(noData.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(emptyNonTerminal.Status, Is.EqualTo(DnsResponseStatus.NoData));
            Assert.That(nxDomain.Status, Is.EqualTo(DnsResponseStatus.NxDomain));
            Assert.That(timeout.Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That(timeout.IsTemporaryError, Is.True);
            Assert.That(timeoutOtherType.Status, Is.EqualTo(DnsResponseStatus.NoData), "the name exists; only TXT was told to time out");
        });
    }

    // ---------------------------------------------------------------- errors, each with its position

    [TestCase("a.example. A 256.1.1.1", 1, 14, "'256.1.1.1' is not an IPv4 address")]
    [TestCase("a.example. A 192.0.2", 1, 14, "is not an IPv4 address")]
    [TestCase("a.example. A 192.0.2.01", 1, 14, "is not an IPv4 address")]
    [TestCase("a.example. A 0x7f.0.0.1", 1, 14, "is not an IPv4 address")]
    [TestCase("a.example. A \"192.0.2.1\"", 1, 14, "is not an IPv4 address")]
    [TestCase("a.example. AAAA 2001:db8::g", 1, 17, "is not an IPv6 address")]
    [TestCase("a.example. AAAA fe80::1%eth0", 1, 17, "is not an IPv6 address")]
    [TestCase("a.example. AAAA 192.0.2.1", 1, 17, "is not an IPv6 address")]
    [TestCase("a.example. A", 1, 13, "expected an IPv4 address")]
    [TestCase("a.example. A 192.0.2.1 192.0.2.2", 1, 24, "unexpected '192.0.2.2'")]
    [TestCase("a.example. MX 65536 mail.example.", 1, 15, "not an MX preference")]
    [TestCase("a.example. MX 10", 1, 17, "expected a preference (0-65535) and an exchange name after MX")]
    [TestCase("a.example. FOO bar", 1, 12, "unknown record type 'FOO'")]
    [TestCase("a.example. TYPE16 \\# 0", 1, 12, "TYPE16 is TXT")]
    [TestCase("a.example. TXT", 1, 15, "expected at least one character-string")]
    [TestCase("a.example. CH TXT \"x\"", 1, 12, "class CH is not supported")]
    [TestCase("a.example. 99999999999 TXT \"x\"", 1, 12, "is not a TTL")]
    [TestCase("a.example. 1x TXT \"x\"", 1, 12, "is not a TTL")]
    [TestCase("a.example. 300", 1, 15, "expected a record type")]
    [TestCase("  TXT \"no owner yet\"", 1, 3, "no owner name")]
    [TestCase("relative TXT \"x\"", 1, 1, "relative name 'relative' needs an origin")]
    [TestCase("@ TXT \"x\"", 1, 1, "'@' needs an origin")]
    [TestCase("a..example. TXT \"x\"", 1, 1, "empty label")]
    [TestCase("a\\.b.example. TXT \"x\"", 1, 1, "escaped '.'")]
    [TestCase("\"quoted\". TXT \"x\"", 1, 1, "found a quoted string")]
    [TestCase("a.example. PTR", 1, 15, "expected a domain name after PTR")]
    [TestCase("a.example. CNAME b.example. c.example.", 1, 29, "unexpected 'c.example.'")]
    [TestCase("a.example. SOA ns hostmaster 1 2 3 4", 1, 37, "expected MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM after SOA")]
    [TestCase("a.example. SOA ns. host. x 2 3 4 5", 1, 26, "not an SOA serial")]
    [TestCase("a.example. DS 70000 13 2 AB", 1, 15, "not a key tag")]
    [TestCase("a.example. CAA 256 issue \"ca\"", 1, 16, "not a CAA flags")]
    [TestCase("a.example. NS", 1, 14, "expected a domain name after NS")]
    [TestCase("$GENERATE 1-2 a$ A 192.0.2.$", 1, 1, "unknown control entry '$GENERATE'")]
    [TestCase("$ORIGIN", 1, 8, "expected $ORIGIN <name>")]
    [TestCase("$ORIGIN a. b.", 1, 12, "unexpected 'b.'")]
    [TestCase("$TTL forever", 1, 6, "'forever' is not a TTL")]
    [TestCase("$INCLUDE", 1, 9, "expected $INCLUDE <file> [<origin>]")]
    public void MalformedEntryIsReportedWithItsPosition(string text, int line, int column, string message) =>
        SingleError(text + "\n", line, column, message);

    [Test]
    public void LabelOver63OctetsAndNameOver255OctetsAreErrors()
    {
        var label64 = new string('a', 64);
        SingleError($"{label64}.example. TXT \"x\"\n", 1, 1, "longer than 63 octets");
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".";
        SingleError($"{longName} TXT \"x\"\n", 1, 1, "longer than 255 octets");
    }

    [Test]
    public void MissingClosingQuoteIsReportedAtTheOpeningQuote()
    {
        var result = Read("""
            $ORIGIN example.com.
            a TXT "v=spf1 -all
            b TXT "fine"
            """);

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.Multiple(async () =>
        {
            Assert.That((result.Errors[0].Line, result.Errors[0].Column), Is.EqualTo((2, 7)));
            Assert.That(result.Errors[0].Message, Does.Contain("unterminated quoted string"));
            Assert.That((await TxtAsync(result.Zone, "a.example.com")).Status, Is.EqualTo(DnsResponseStatus.NxDomain), "the faulty entry is left out");
            Assert.That((await TxtAsync(result.Zone, "b.example.com")).Records, Is.EqualTo(new[] { "fine" }), "reading goes on after an error");
        });
    }

    [Test]
    public void MissingQuoteInsideParenthesesDoesNotSwallowTheRestOfTheFile()
    {
        var result = Read("a.example. TXT ( \"one\n  \"two\" )\nb.example. TXT \"fine\"\n");

        Assert.That(result.Errors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (1, 18), (2, 9) }), () => string.Join(Environment.NewLine, result.Errors));
        Assert.That(result.Zone.OwnerNames, Is.EqualTo(new[] { "b.example" }));
    }

    [Test]
    public void CharacterStringOver255OctetsIsReportedAtThatString()
    {
        var text = $"a.example. TXT \"ok\" \"{new string('x', 256)}\"\n";

        var error = SingleError(text, 1, 21, "256 octets is over 255");

        Assert.That(error.Message, Does.Contain("RFC 1035 §3.3"));
    }

    [Test]
    public void CharacterStringOver255OctetsCountsOctetsNotCharacters()
    {
        // 128 two-octet characters: 128 characters, 256 octets.
        SingleError($"a.example. TXT \"{new string('é', 128)}\"\n", 1, 16, "256 octets is over 255");
    }

    [Test]
    public void ColumnsCountCharactersNotOctets()
    {
        SingleError("é.example. TXT \"x\" bad\"\n", 1, 23, "unterminated quoted string");
    }

    [Test]
    public void UnclosedParenthesisIsReportedWhereItOpens()
    {
        SingleError("a.example. A 192.0.2.1\nb.example. TXT ( \"x\"\nc.example. A 192.0.2.3\n", 2, 16, "'(' is never closed");
    }

    [Test]
    public void UnbalancedClosingParenthesisIsReported()
    {
        SingleError("a.example. TXT \"x\" )\n", 1, 20, "unbalanced ')'");
    }

    [Test]
    public void NestedParenthesisIsReported()
    {
        SingleError("a.example. TXT ( ( \"x\" )\n", 1, 18, "nested '('");
    }

    [TestCase("a.example. TXT \"\\300\"", 1, 17, "\\300 is not an octet")]
    [TestCase("a.example. TXT \"\\12x\"", 1, 17, "expected three decimal digits")]
    [TestCase("a.example. TXT x\\", 1, 17, "'\\' at the end of a line")]
    public void BadEscapesAreReported(string text, int line, int column, string message) =>
        SingleError(text + "\n", line, column, message);

    [Test]
    public void SecondCnameAndCnameWithOtherDataAreErrors()
    {
        SingleError("a.example. CNAME b.example.\na.example. CNAME c.example.\n", 2, 12, "already has a CNAME");
        SingleError("a.example. TXT \"x\"\n\na.example. CNAME b.example.\n", 3, 12, "has a CNAME and other records");
    }

    [Test]
    public void EveryErrorIsReportedAndCorrectEntriesStillLoad()
    {
        var result = Read("""
            $ORIGIN example.com.
            a  A   192.0.2.999
            b  A   192.0.2.2
            c  BOGUS x
            d  TXT "ok"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors.Select(e => e.Line), Is.EqualTo(new[] { 2, 4 }));
            Assert.That(result.Zone.OwnerNames, Is.EquivalentTo(new[] { "b.example.com", "d.example.com" }));
        });
    }

    [Test]
    public void ReadingStopsAfterMaxErrors()
    {
        var text = string.Concat(Enumerable.Repeat("bad.example. A nonsense\n", 50));

        var result = ZoneFileReader.Read(text, new ZoneFileReaderOptions { MaxErrors = 5 });

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Has.Count.EqualTo(6));
            Assert.That(result.Errors[^1].Message, Does.Contain("stopped after 5 errors"));
        });
    }

    [Test]
    public void ParseThrowsZoneFileExceptionWithEveryError()
    {
        var exception = Assert.Throws<ZoneFileException>(() => ZoneFileReader.Parse("a.example. A x\nb.example. A y\n", new ZoneFileReaderOptions { FileName = "f.zone" }));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Errors, Has.Count.EqualTo(2));
            Assert.That(exception.Message, Does.Contain("f.zone:1:14"));
            Assert.That(exception.Errors[1].ToString(), Does.StartWith("f.zone:2:14: 'y' is not an IPv4 address"));
        });
    }

    [Test]
    public void ReadFileOfAMissingFileIsAnErrorAtLineZero()
    {
        using var folder = new TemporaryFolder();
        var path = folder.PathOf("absent.zone");

        var result = ZoneFileReader.ReadFile(path);

        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That((result.Errors[0].File, result.Errors[0].Line, result.Errors[0].Column), Is.EqualTo((path, 0, 0)));
            Assert.That(result.Errors[0].ToString(), Does.Contain("does not exist"));
            Assert.Throws<ZoneFileException>(() => ZoneFileReader.LoadFile(path));
        });
    }

    [Test]
    public void FileOverTheSizeLimitIsNotRead()
    {
        using var folder = new TemporaryFolder();
        folder.Write("big.zone", new string(';', 2000) + "\n");

        var result = ZoneFileReader.ReadFile(folder.PathOf("big.zone"), new ZoneFileReaderOptions { MaxFileBytes = 1000 });

        Assert.That(result.Errors.Single().Message, Does.Contain("over the limit of 1000"));
    }

    [Test]
    public void GarbageNeverThrows()
    {
        // Seeded, so a failure reproduces; bytes biased towards the characters the lexer cares about.
        var random = new Random(1035);
        const string alphabet = "ab.@$;()\"\\ \t\n\r0123456789ORIGINTXTA:*é\u0000\uFFFD";
        for (var round = 0; round < 300; round++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 200);
            for (var i = 0; i < length; i++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var text = builder.ToString();
            Assert.DoesNotThrow(() => ZoneFileReader.Read(text, new ZoneFileReaderOptions { Origin = "example.com" }), text);
        }
    }

    // ---------------------------------------------------------------- the sample zone

    [Test]
    public async Task SampleZoneLoadsWithTheRecordsTheQuickStartNeeds()
    {
        var zone = ZoneFileReader.LoadFile(TestPaths.InRepository("samples", "zones", "example.zone"));
        var resolver = new ZoneResolver(zone);

        var spf = await resolver.QueryTxtAsync("example.com", CancellationToken.None);
        var mx = await resolver.QueryMxAsync("example.com", CancellationToken.None);
        var mail = await resolver.QueryAAsync("mail.example.com", CancellationToken.None);
        var include = await resolver.QueryTxtAsync("_spf.example.net", CancellationToken.None);
        var explanation = await resolver.QueryTxtAsync("explain._spf.example.com", CancellationToken.None);
        var dmarc = await resolver.QueryTxtAsync("_dmarc.example.com", CancellationToken.None);
        var slow = await resolver.QueryTxtAsync("slow.example.net", CancellationToken.None);
        var ptr = await resolver.QueryPtrAsync(ReverseName.For(IPAddress.Parse("192.0.2.10")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(spf.Records, Has.One.StartsWith("v=spf1 ").And.Contains(" mx ").And.Contains("include:_spf.example.net").And.EndsWith(" -all"));
            Assert.That(mx.Records, Does.Contain(new MxRecord(10, "mail.example.com")));
            Assert.That(mail.Records, Is.EqualTo(new[] { IPAddress.Parse("192.0.2.10") }));
            Assert.That(include.Records, Has.One.StartsWith("v=spf1 "));
            Assert.That(explanation.Records.Single(), Does.Contain("%{i}"));
            Assert.That(dmarc.Records, Is.EqualTo(new[] { "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r" }));
            Assert.That(slow.Status, Is.EqualTo(DnsResponseStatus.Timeout));
            Assert.That(ptr.Records, Is.EqualTo(new[] { "mail.example.com" }));
        });
    }

    /// <summary>A folder under the system's temp path for include tests, removed afterwards.</summary>
    private sealed class TemporaryFolder : IDisposable
    {
        public TemporaryFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "authfilter-zone-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

        public void Write(string relative, string text)
        {
            var path = PathOf(relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
