using Filter.Engine.AuthResults;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>
/// RFC 8601 §5: headers claiming our authserv-id that arrive with a message are forgeries (or
/// stale) and must go, parseable or not (the CVE-2020-12272 class). Other ids stay.
/// </summary>
public sealed class AuthenticationResultsOwnershipTests
{
    private static readonly AuthenticationResultsOwnership s_ownership =
        new("mx.example.com", aliases: ["mx-old.example.com"], trusted: ["gateway.example.com"]);

    [TestCase(" mx.example.com; dkim=pass header.d=bank.example", TestName = "Plain")]
    [TestCase(" MX.Example.COM; dkim=pass header.d=bank.example", TestName = "Case")]
    [TestCase(" mx.example.com 1; dkim=pass header.d=bank.example", TestName = "Version")]
    [TestCase(" mx.example.com;dkim=pass", TestName = "IdFollowedDirectlyBySemicolon")]
    [TestCase(" mx.example.com; none", TestName = "None")]
    [TestCase(" (comment) mx.example.com; spf=pass", TestName = "CommentBeforeId")]
    [TestCase(" (nested (comment) \\) here) (two)mx.example.com; spf=pass", TestName = "NestedCommentsBeforeId")]
    [TestCase("\r\n\tmx.example.com;\r\n\tspf=pass", TestName = "FoldedBeforeId")]
    [TestCase(" mx.example.com\r\n (folded\r\n here) 1\r\n ; spf=pass", TestName = "FoldedMidWay")]
    [TestCase("\t \u00A0\u200B\uFEFFmx.example.com; spf=pass", TestName = "OddWhitespace")]
    [TestCase("\u0000\u0007mx.example.com; spf=pass", TestName = "StrayControlCharacters")]
    [TestCase(" mx.example.com; spf=pass !!!garbage(((", TestName = "TrailingGarbage")]
    [TestCase(" mx.example.com; this is not a header at all", TestName = "UnparseableBodyAfterId")]
    [TestCase(" mx.example.com", TestName = "IdAlone")]
    [TestCase(" mx.example.com/1; spf=pass", TestName = "IdFollowedBySlash")]
    [TestCase(" mx.example.com=pass; spf=pass", TestName = "IdFollowedByEquals")]
    [TestCase(" mx.example.com(comment); spf=pass", TestName = "CommentGluedToId")]
    [TestCase(" mx.example.com.; spf=pass", TestName = "TrailingRootDot")]
    [TestCase(" \"mx.example.com\"; dkim=pass", TestName = "QuotedId")]
    [TestCase(" \"MX.EXAMPLE.COM \"; dkim=pass", TestName = "QuotedIdWithSpace")]
    [TestCase(" \"mx.exam\\ple.com\"; dkim=pass", TestName = "QuotedIdWithQuotedPair")]
    [TestCase(" \"mx.example.com; dkim=pass", TestName = "UnterminatedQuotedId")]
    [TestCase(" mx(x).example.com; spf=pass", TestName = "IdSplitByComment")]
    [TestCase(" mx-old.example.com; spf=pass", TestName = "Alias")]
    [TestCase(" MX.EXAMPLE.COM\r\n", TestName = "TrailingCrlf")]
    public void ForgedVariantsAreRemoved(string value)
    {
        var verdict = s_ownership.Classify(value);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Claim, Is.EqualTo(AuthResultsClaim.Ours), verdict.Reason);
            Assert.That(verdict.MustRemove, Is.True);
        });
    }

    [TestCase(" mx.example.com.evil; spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "OurIdAsPrefixOfAnother")]
    [TestCase(" evil-mx.example.com; spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "OurIdAsSuffixOfAnother")]
    [TestCase(" mx.example.co; spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "Shorter")]
    [TestCase(" mx.example.com1; spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "LongerToken")]
    [TestCase(" other.example; spf=pass; mx.example.com; dkim=pass", nameof(AuthResultsClaim.Foreign), TestName = "OursLaterInTheValue")]
    [TestCase(" other.example (mx.example.com); spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "OursInACommentAfterAnotherId")]
    [TestCase(" \"other mx.example.com\"; spf=pass", nameof(AuthResultsClaim.Foreign), TestName = "QuotedOtherId")]
    [TestCase(" spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=mx.example.com", nameof(AuthResultsClaim.NoAuthServId), TestName = "MicrosoftStyleWithoutId")]
    [TestCase(" gateway.example.com; spf=pass smtp.mailfrom=a@example.org", nameof(AuthResultsClaim.Trusted), TestName = "TrustedId")]
    [TestCase(" (mx.example.com; dkim=pass", nameof(AuthResultsClaim.NoAuthServId), TestName = "UnterminatedCommentHidesEverything")]
    [TestCase("", nameof(AuthResultsClaim.NoAuthServId), TestName = "Empty")]
    [TestCase(" ; spf=pass", nameof(AuthResultsClaim.NoAuthServId), TestName = "NoIdAtAll")]
    public void NearMissesAndOtherIdsAreKept(string value, string claimName)
    {
        var claim = Enum.Parse<AuthResultsClaim>(claimName);
        var verdict = s_ownership.Classify(value);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.Claim, Is.EqualTo(claim), verdict.Reason);
            Assert.That(verdict.MustRemove, Is.False);
        });
    }

    [Test]
    public void EveryHeaderWeWriteIsRecognisedAsOurs()
    {
        // What we insert must be what the next hop of ours (or a replay) removes.
        var formatter = new AuthenticationResultsFormatter("mx.example.com");
        var text = formatter.Format([new MethodResult(AuthMethod.Spf, AuthResultWord.Pass)]);
        Assert.That(s_ownership.Classify(text).Claim, Is.EqualTo(AuthResultsClaim.Ours));
        Assert.That(s_ownership.Classify(formatter.Format([])).Claim, Is.EqualTo(AuthResultsClaim.Ours));
    }

    [Test]
    public void EveryParseableHeaderWithOurIdIsOurs()
    {
        // Whatever the parser would read as our authserv-id, the ownership check must catch: run
        // both over mutations of a header of ours and look for a parse that names us while the
        // check says otherwise.
        const string sample = " (c) mx.example.com (x) 1; dkim=pass header.d=bank.example";
        var random = new Random(12272);
        const string alphabet = "mx.example.com\"()\\; \t\r\n1=/";
        var checkedCount = 0;
        for (var i = 0; i < 20000; i++)
        {
            var chars = sample.ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var value = new string(chars);
            var parsed = AuthenticationResultsParser.Parse(value);
            if (parsed.IsSuccess && string.Equals(parsed.Header.AuthServId.TrimEnd('.'), "mx.example.com", StringComparison.OrdinalIgnoreCase))
            {
                Assert.That(s_ownership.Classify(value).Claim, Is.EqualTo(AuthResultsClaim.Ours), value);
                checkedCount++;
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(1000), "the mutations must produce many parseable headers naming us");
    }

    [Test]
    public void TrustedHeadersAreReadableAsInput()
    {
        var read = s_ownership.ReadTrusted(" gateway.example.com; spf=pass smtp.mailfrom=a@example.org; dkim=fail header.d=example.org");
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.IsSuccess, Is.True, read.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(read.Header!.AuthServId, Is.EqualTo("gateway.example.com"));
            Assert.That(read.Header.Find(AuthMethod.Spf)!.Result, Is.EqualTo(AuthResultWord.Pass));
            Assert.That(read.Header.Find(AuthMethod.Dkim)!.GetProperty(PropertyType.Header, "d"), Is.EqualTo("example.org"));
        });
    }

    [Test]
    public void OnlyTrustedHeadersAreReadable()
    {
        Assert.Multiple(() =>
        {
            Assert.That(s_ownership.ReadTrusted(" mx.example.com; spf=pass"), Is.Null, "ours: forged, never input");
            Assert.That(s_ownership.ReadTrusted(" other.example; spf=pass"), Is.Null, "foreign");
            Assert.That(s_ownership.ReadTrusted(" spf=pass smtp.mailfrom=a@b.example"), Is.Null, "no id");
            var broken = s_ownership.ReadTrusted(" gateway.example.com; spf=");
            Assert.That(broken, Is.Not.Null);
            Assert.That(broken!.IsSuccess, Is.False, "a trusted but broken header is a parse failure, not input");
        });
    }
}
