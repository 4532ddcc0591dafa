using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using static Filter.Engine.Tests.Dkim.DkimTestSupport;

namespace Filter.Engine.Tests.Dkim;

[TestFixture]
public sealed class DkimVerifierTests
{
    [Test]
    public async Task SignedMessagesVerify(
        [Values("rsa", "ed25519")] string keyType,
        [Values] DkimCanonicalization header,
        [Values] DkimCanonicalization body)
    {
        using var key = keyType == "rsa" ? RsaKey() : Ed25519Key();
        var options = new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, HeaderCanonicalization = header, BodyCanonicalization = body };
        var signed = Signed(SampleMessage(), options);

        var results = await VerifyAsync(signed, ZoneWith("sel", key.KeyRecord));

        Assert.That(results, Has.Count.EqualTo(1));
        var result = results[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
            Assert.That(result.Domain, Is.EqualTo(Domain));
            Assert.That(result.Selector, Is.EqualTo("sel"));
            Assert.That(result.Algorithm, Is.EqualTo(key.AlgorithmName));
            Assert.That(result.SignaturePrefix, Has.Length.EqualTo(8));
            Assert.That(result.KeyBits, Is.EqualTo(keyType == "rsa" ? 2048 : 256));
        });
    }

    [Test]
    public async Task NoSignatureIsNone()
    {
        var results = await VerifyAsync(SampleMessage(), new DnsZone());
        Assert.That(results.Single().Code, Is.EqualTo(DkimResultCode.None));
    }

    [Test]
    public async Task ChangedBodyFailsTheBodyHash()
    {
        using var key = Ed25519Key();
        var signed = Replace(Signed(SampleMessage(), Options(key)), "a test", "a tesT");
        var result = (await VerifyAsync(signed, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(result.Reason, Is.EqualTo("body hash did not verify"));
        });
    }

    [Test]
    public async Task ChangedHeaderFailsTheSignature()
    {
        using var key = RsaKey();
        var signed = Replace(Signed(SampleMessage(), Options(key)), "Subject: Test", "Subject: Tesd");
        var result = (await VerifyAsync(signed, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(result.Reason, Is.EqualTo("signature did not verify"));
        });
    }

    [Test]
    public async Task RelaxedIgnoresWhitespaceAndFoldingChanges()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var changed = Replace(Replace(signed, "Subject: Test", "subject:\r\n \t Test  "), "This is  a test.", "This is a   test.");
        var result = (await VerifyAsync(changed, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
    }

    [Test]
    public async Task BareLineFeedMessageVerifiesLikeCrlf()
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), new DkimSignerOptions
        {
            Domain = Domain, Selector = "sel", Key = key,
            HeaderCanonicalization = DkimCanonicalization.Simple, BodyCanonicalization = DkimCanonicalization.Simple,
        });
        var lf = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(signed).Replace("\r\n", "\n", StringComparison.Ordinal));
        var result = (await VerifyAsync(lf, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
    }

    [Test]
    public async Task MilterStyleFeedingWithTinyChunksVerifies()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(string.Concat(Enumerable.Repeat("line  of\ttext \r\n", 500))), Options(key));
        var verifier = new DkimVerifier(new ZoneResolver(ZoneWith("sel", key.KeyRecord)), null, new FixedTimeProvider(Now));
        using var session = verifier.StartSession();
        var text = Encoding.Latin1.GetString(signed);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in text[..split].Replace("\r\n ", "\u0001 ", StringComparison.Ordinal).Replace("\r\n\t", "\u0001\t", StringComparison.Ordinal).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            session.OnHeader(line[..colon], Encoding.Latin1.GetBytes(line[(colon + 1)..].Replace("\u0001", "\r\n", StringComparison.Ordinal)));
        }

        session.OnEndOfHeaders(CancellationToken.None);
        var body = Encoding.Latin1.GetBytes(text[(split + 4)..]);
        for (var i = 0; i < body.Length; i += 7)
        {
            session.OnBodyChunk(body.AsSpan(i, Math.Min(7, body.Length - i)));
        }

        var result = (await session.CompleteAsync(CancellationToken.None)).Single();
        Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
    }

    [Test]
    public async Task OverSignedHeaderAddedLaterFails()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var overSigned = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, OverSign = true });
        var extraSubject = Replace(overSigned, "Subject: Test\r\n", "Subject: Test\r\nSubject: Added\r\n");
        var extraOnPlain = Replace(signed, "Subject: Test\r\n", "Subject: Test\r\nSubject: Added\r\n");
        var zone = ZoneWith("sel", key.KeyRecord);
        Assert.Multiple(async () =>
        {
            Assert.That((await VerifyAsync(extraSubject, zone)).Single().Code, Is.EqualTo(DkimResultCode.Fail));
            // Without over-signing the bottom-most Subject is the one signed... which is now the added one.
            Assert.That((await VerifyAsync(extraOnPlain, zone)).Single().Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That((await VerifyAsync(overSigned, zone)).Single().Code, Is.EqualTo(DkimResultCode.Pass));
        });
    }

    [Test]
    public async Task BodyLengthIsHonouredAndUnsignedBytesReported()
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, IncludeBodyLength = true });
        var appended = signed.Concat("Appended by someone else\r\n"u8.ToArray()).ToArray();
        var zone = ZoneWith("sel", key.KeyRecord);
        var plain = (await VerifyAsync(signed, zone)).Single();
        var longer = (await VerifyAsync(appended, zone)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(plain.Code, Is.EqualTo(DkimResultCode.Pass), plain.Reason);
            Assert.That(plain.UnsignedBodyBytes, Is.Zero);
            Assert.That(plain.BodyLength, Is.Not.Null);
            Assert.That(longer.Code, Is.EqualTo(DkimResultCode.Pass), longer.Reason);
            // The two empty lines that ended the signed body are no longer trailing, so they count too.
            Assert.That(longer.UnsignedBodyBytes, Is.EqualTo("\r\n\r\nAppended by someone else\r\n".Length));
        });
    }

    [Test]
    public async Task LengthLongerThanBodyFails()
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, IncludeBodyLength = true });
        var shorter = Replace(signed, "This is  a test.", "This is");
        var result = (await VerifyAsync(shorter, ZoneWith("sel", key.KeyRecord))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(result.Reason, Does.Contain("longer than the body"));
        });
    }

    [Test]
    public async Task ExpiredSignatureFailsAndFutureTimestampFails()
    {
        using var key = Ed25519Key();
        var expired = Signed(SampleMessage(), new DkimSignerOptions
        {
            Domain = Domain, Selector = "sel", Key = key, Timestamp = Now.AddDays(-10), Expiration = Now.AddDays(-1),
        });
        var future = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, Timestamp = Now.AddHours(2) });
        var withinSkew = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, Timestamp = Now.AddMinutes(5) });
        var zone = ZoneWith("sel", key.KeyRecord);
        var expiredResult = (await VerifyAsync(expired, zone)).Single();
        var futureResult = (await VerifyAsync(future, zone)).Single();
        var strictSkew = (await VerifyAsync(withinSkew, zone, new DkimVerifierOptions { ClockSkew = TimeSpan.FromMinutes(1) })).Single();
        Assert.Multiple(async () =>
        {
            Assert.That(expiredResult.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(expiredResult.Reason, Does.Contain("expired"));
            Assert.That(futureResult.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That(futureResult.Reason, Does.Contain("future"));
            Assert.That((await VerifyAsync(withinSkew, zone)).Single().Code, Is.EqualTo(DkimResultCode.Pass));
            Assert.That(strictSkew.Code, Is.EqualTo(DkimResultCode.Fail));
            Assert.That((await VerifyAsync(expired, zone, now: Now.AddDays(-2))).Single().Code, Is.EqualTo(DkimResultCode.Pass));
        });
    }

    [Test]
    public async Task ShortRsaKeyIsPolicyAndTheMinimumIsConfigurable()
    {
        using var key = RsaKey(512);
        var signed = Signed(SampleMessage(), Options(key));
        var zone = ZoneWith("sel", key.KeyRecord);
        var strict = (await VerifyAsync(signed, zone)).Single();
        var lenient = (await VerifyAsync(signed, zone, new DkimVerifierOptions { MinimumRsaKeyBits = 512 })).Single();
        var raised = (await VerifyAsync(Signed(SampleMessage(), Options(RsaKey(1024))), ZoneWith("sel", RsaKey(1024).KeyRecord), new DkimVerifierOptions { MinimumRsaKeyBits = 2048 })).Single();
        Assert.Multiple(() =>
        {
            Assert.That(strict.Code, Is.EqualTo(DkimResultCode.Policy));
            Assert.That(strict.Reason, Does.Contain("512 bits"));
            Assert.That(strict.KeyBits, Is.EqualTo(512));
            Assert.That(lenient.Code, Is.EqualTo(DkimResultCode.Pass));
            Assert.That(raised.Code, Is.EqualTo(DkimResultCode.Policy));
        });
    }

    [Test]
    public async Task RsaSha1IsPolicyWithoutAnyKeyLookup()
    {
        var sha1Body = Convert.ToBase64String(new byte[20]);
        var signed = DkimTestSupport.Message($"DKIM-Signature: v=1; a=rsa-sha1; d=example.com; s=sel; h=from; bh={sha1Body}; b=AAAA\r\n", "body\r\n");
        // No key in the zone at all: the result must not depend on DNS.
        var result = (await VerifyAsync(signed, new DnsZone())).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Policy));
            Assert.That(result.Reason, Does.Contain("rsa-sha1"));
        });
    }

    [Test]
    public async Task KeyProblemsAreReportedWithReasons()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var p = key.PublicKeyBase64;
        var timeout = new DnsZone();
        timeout.AddFailure("sel._domainkey.example.com", DnsResponseStatus.Timeout);
        var servfail = new DnsZone();
        servfail.AddFailure("sel._domainkey.example.com", DnsResponseStatus.ServerFailure);
        var cases = new (DnsZone Zone, DkimResultCode Code, string Reason)[]
        {
            (new DnsZone(), DkimResultCode.PermError, "no key for selector"),
            (ZoneWith("sel", "v=DKIM1; k=rsa; p="), DkimResultCode.PermError, "key revoked"),
            (ZoneWith("sel", $"v=DKIM1; k=ed25519; p={p}"), DkimResultCode.PermError, "does not match"),
            (ZoneWith("sel", $"v=DKIM1; h=sha1; p={p}"), DkimResultCode.PermError, "does not allow sha256"),
            (ZoneWith("sel", $"v=DKIM1; s=chat; p={p}"), DkimResultCode.PermError, "not for email"),
            (ZoneWith("sel", $"v=DKIM2; p={p}"), DkimResultCode.PermError, "v=DKIM2"),
            (ZoneWith("sel", $"k=rsa; v=DKIM1; p={p}"), DkimResultCode.PermError, "first tag"),
            (ZoneWith("sel", $"v=DKIM1; k=dsa; p={p}"), DkimResultCode.PermError, "k=dsa"),
            (ZoneWith("sel", "v=DKIM1; k=rsa"), DkimResultCode.PermError, "no p="),
            (timeout, DkimResultCode.TempError, "Timeout"),
            (servfail, DkimResultCode.TempError, "ServerFailure"),
        };
        foreach (var (zone, code, reason) in cases)
        {
            var result = (await VerifyAsync(signed, zone)).Single();
            Assert.Multiple(() =>
            {
                Assert.That(result.Code, Is.EqualTo(code), reason);
                Assert.That(result.Reason, Does.Contain(reason));
            });
        }
    }

    [Test]
    public async Task KeyRecordWithUnknownTagsFlagsAndHashListsIsUsable()
    {
        using var key = RsaKey();
        var signed = Signed(SampleMessage(), Options(key));
        var result = (await VerifyAsync(signed, ZoneWith("sel", $"v=DKIM1; x1=extra; t=y:z; h=sha1:sha256; s=email:web; n=note; p={key.PublicKeyBase64}"))).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
            Assert.That(result.Testing, Is.True);
        });
    }

    [Test]
    public async Task BareRsaPublicKeyFormIsAccepted()
    {
        var rsa = RSA.Create(2048);
        var bare = Convert.ToBase64String(rsa.ExportRSAPublicKey());
        using var key = DkimSigningKey.FromRsa(rsa);
        var signed = Signed(SampleMessage(), Options(key));
        var result = (await VerifyAsync(signed, ZoneWith("sel", $"v=DKIM1; k=rsa; p={bare}"))).Single();
        Assert.That(result.Code, Is.EqualTo(DkimResultCode.Pass), result.Reason);
    }

    [Test]
    public async Task StrictKeyRefusesSubdomainIdentity()
    {
        using var key = Ed25519Key();
        var signed = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, Identity = "@mail.example.com" });
        var sameDomain = Signed(SampleMessage(), new DkimSignerOptions { Domain = Domain, Selector = "sel", Key = key, Identity = "alice@example.com" });
        var strict = ZoneWith("sel", key.KeyRecord + "; t=s");
        Assert.Multiple(async () =>
        {
            Assert.That((await VerifyAsync(signed, ZoneWith("sel", key.KeyRecord))).Single().Code, Is.EqualTo(DkimResultCode.Pass));
            Assert.That((await VerifyAsync(signed, strict)).Single().Reason, Does.Contain("t=s"));
            Assert.That((await VerifyAsync(sameDomain, strict)).Single().Code, Is.EqualTo(DkimResultCode.Pass));
            Assert.That((await VerifyAsync(sameDomain, strict)).Single().Identifier, Is.EqualTo("alice@example.com"));
        });
    }

    [Test]
    public async Task TwoSignaturesShareOneHasherAndBothPass()
    {
        using var rsa = RsaKey();
        using var ed = Ed25519Key();
        var once = Signed(SampleMessage(), Options(rsa, "rsa"));
        var twice = Signed(once, Options(ed, "ed"));
        var zone = ZoneWith("rsa", rsa.KeyRecord);
        zone.AddTxt("ed._domainkey.example.com", ed.KeyRecord);
        var results = await VerifyAsync(twice, zone);
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Code), Is.EqualTo(new[] { DkimResultCode.Pass, DkimResultCode.Pass }));
            Assert.That(results.Select(r => r.Selector), Is.EqualTo(new[] { "ed", "rsa" }));
        });
    }

    [Test]
    public async Task SignatureCapAndKeyLookupCapAreApplied()
    {
        using var key = Ed25519Key();
        var message = SampleMessage();
        var zone = new DnsZone();
        for (var i = 0; i < 4; i++)
        {
            message = Signed(message, Options(key, "s" + i));
            zone.AddTxt($"s{i}._domainkey.example.com", key.KeyRecord);
        }

        var capped = await VerifyAsync(message, zone, new DkimVerifierOptions { MaxSignatures = 2 });
        var lookups = await VerifyAsync(message, zone, new DkimVerifierOptions { MaxKeyLookups = 3 });
        Assert.Multiple(() =>
        {
            Assert.That(capped.Select(r => r.Code), Is.EqualTo(new[] { DkimResultCode.Pass, DkimResultCode.Pass, DkimResultCode.Policy, DkimResultCode.Policy }));
            Assert.That(capped[3].Reason, Does.Contain("more than 2 signatures"));
            Assert.That(lookups[3].Code, Is.EqualTo(DkimResultCode.Policy));
            Assert.That(lookups[3].Reason, Does.Contain("key lookups"));
        });
    }

    [Test]
    public void SignaturePrefixesAreShortestUniqueAndAtLeastEight()
    {
        var prefixes = DkimSignaturePrefix.Compute(["abcdefghij1", "abcdefghij2", "zzzzzzzzzzzz", "short", null, "abcdefghij1"]);
        Assert.That(prefixes, Is.EqualTo(new[] { "abcdefghij1", "abcdefghij2", "zzzzzzzz", "short", null, "abcdefghij1" }));
    }

    [TestCase(1024)]
    [TestCase(0)]
    public async Task OneVerifierReusesImportedKeysAcrossMessages(int cacheSize)
    {
        using var key = RsaKey();
        var verifier = new DkimVerifier(new ZoneResolver(ZoneWith("sel", key.KeyRecord)), new DkimVerifierOptions { KeyCacheSize = cacheSize }, new FixedTimeProvider(Now));
        var good = Signed(SampleMessage(), Options(key));
        var bad = Replace(good, "Subject: Test", "Subject: Tost");
        var codes = new List<DkimResultCode>();
        foreach (var message in new[] { good, bad, good })
        {
            using var stream = new MemoryStream(message);
            codes.Add((await verifier.VerifyAsync(stream, CancellationToken.None)).Single().Code);
        }

        Assert.That(codes, Is.EqualTo(new[] { DkimResultCode.Pass, DkimResultCode.Fail, DkimResultCode.Pass }));
    }

    [Test]
    public void SessionCalledOutOfOrderIsABug()
    {
        using var session = new DkimVerifier(new ZoneResolver(new DnsZone())).StartSession();
        session.OnEndOfHeaders(CancellationToken.None);
        Assert.That(() => session.OnHeader("From", " x"u8), Throws.InvalidOperationException);
    }
}
