using Filter.Engine.AuthResults;
using static Filter.Engine.Tests.AuthResults.AuthResultsModel;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>
/// RFC 8601 §2.2 grammar. The Appendix B headers are the RFC's own examples, typed in from
/// RFC 8601 (facts, with attribution); the "real-world" headers are made up here in the style of
/// the named receivers, with documentation addresses.
/// </summary>
public sealed class AuthenticationResultsParserTests
{
    private static void AssertParses(string value, AuthenticationResults expected, AuthResultsDeviations deviations = AuthResultsDeviations.None)
    {
        var parsed = AuthenticationResultsParser.Parse(value);
        Assert.That(parsed.IsSuccess, Is.True, parsed.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Header, Is.EqualTo(expected));
            Assert.That(parsed.Deviations, Is.EqualTo(deviations));
        });
    }

    [Test]
    public void AppendixB2_NoneWithVersion()
    {
        AssertParses(ValueOf("Authentication-Results: example.org 1; none\r\n"),
            new AuthenticationResults("example.org") { Version = 1 });
    }

    [Test]
    public void AppendixB3_OneMethod()
    {
        AssertParses(ValueOf("Authentication-Results: example.com;\r\n          spf=pass smtp.mailfrom=example.net\r\n"),
            Header("example.com", Method("spf", "pass", Prop("smtp.mailfrom", "example.net"))));
    }

    [Test]
    public void AppendixB4_SeveralMethodsOneMta()
    {
        AssertParses(ValueOf("Authentication-Results: example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n          spf=pass smtp.mailfrom=example.net\r\n"),
            Header("example.com",
                Method("auth", "pass", Prop("smtp.auth", "sender@example.net")) with { Comments = ["cram-md5"] },
                Method("spf", "pass", Prop("smtp.mailfrom", "example.net"))));
        AssertParses(ValueOf("Authentication-Results: example.com; iprev=pass\r\n          policy.iprev=192.0.2.200\r\n"),
            Header("example.com", Method("iprev", "pass", Prop("policy.iprev", "192.0.2.200"))));
    }

    [Test]
    public void AppendixB5_SeveralMtas()
    {
        AssertParses(ValueOf("Authentication-Results: example.com;\r\n          dkim=pass (good signature) header.d=example.com\r\n"),
            Header("example.com", Method("dkim", "pass", Prop("header.d", "example.com")) with { Comments = ["good signature"] }));
        AssertParses(ValueOf("Authentication-Results: example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.com;\r\n          spf=fail smtp.mailfrom=example.com\r\n"),
            Header("example.com",
                Method("auth", "pass", Prop("smtp.auth", "sender@example.com")) with { Comments = ["cram-md5"] },
                Method("spf", "fail", Prop("smtp.mailfrom", "example.com"))));
    }

    [Test]
    public void AppendixB6_ReasonAsQuotedString()
    {
        AssertParses(ValueOf("Authentication-Results: example.com;\r\n      dkim=pass reason=\"good signature\"\r\n        header.i=@mail-router.example.net;\r\n      dkim=fail reason=\"bad signature\"\r\n        header.i=@newyork.example.com\r\n"),
            Header("example.com",
                Method("dkim", "pass", Prop("header.i", "@mail-router.example.net")) with { Reason = "good signature" },
                Method("dkim", "fail", Prop("header.i", "@newyork.example.com")) with { Reason = "bad signature" }));
    }

    [Test]
    public void AppendixB7_CommentHeavy()
    {
        var value = ValueOf("Authentication-Results: foo.example.net (foobar) 1 (baz);\r\n"
            + "    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n"
            + "      policy (A dot can go here) . (like that) expired\r\n"
            + "      (this surprised me) = (as I wasn't expecting it) 1362471462\r\n");
        var expected = new AuthenticationResults("foo.example.net")
        {
            Version = 1,
            Comments = ["foobar", "baz"],
            Results =
            [
                Method("dkim", "fail", Prop("policy.expired", "1362471462",
                    "A dot can go here", "like that", "this surprised me", "as I wasn't expecting it"))
                    with { MethodVersion = 1, Comments = ["Because I like it", "One yay", "wait for it"] },
            ],
        };
        AssertParses(value, expected);
    }

    [Test]
    public void GmailStyle()
    {
        var value = ValueOf("Authentication-Results: mx.google.com;\r\n"
            + "       dkim=pass header.i=@example.org header.s=20230601 header.b=Qx3u/9+K;\r\n"
            + "       spf=pass (google.com: domain of alice@example.org designates 2001:db8::25 as permitted sender) smtp.mailfrom=alice@example.org;\r\n"
            + "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org;\r\n"
            + "       dara=pass header.i=@example.org\r\n");
        AssertParses(value, Header("mx.google.com",
                Method("dkim", "pass", Prop("header.i", "@example.org"), Prop("header.s", "20230601"), Prop("header.b", "Qx3u/9+K")),
                Method("spf", "pass", Prop("smtp.mailfrom", "alice@example.org"))
                    with { Comments = ["google.com: domain of alice@example.org designates 2001:db8::25 as permitted sender"] },
                Method("dmarc", "pass", Prop("header.from", "example.org")) with { Comments = ["p=REJECT sp=REJECT dis=NONE"] },
                Method("dara", "pass", Prop("header.i", "@example.org"))),
            AuthResultsDeviations.UnquotedSpecials);
    }

    [Test]
    public void MicrosoftStyle_NoAuthServId_CompAuthAndAction()
    {
        var value = ValueOf("Authentication-Results: spf=pass (sender IP is 192.0.2.10)\r\n"
            + " smtp.mailfrom=example.com; dkim=pass (signature was verified)\r\n"
            + " header.d=example.com;dmarc=pass action=none\r\n"
            + " header.from=example.com;compauth=pass reason=100\r\n");
        var parsed = AuthenticationResultsParser.Parse(value);
        Assert.That(parsed.IsSuccess, Is.True, parsed.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Header, Is.EqualTo(Header("",
                Method("spf", "pass", Prop("smtp.mailfrom", "example.com")) with { Comments = ["sender IP is 192.0.2.10"] },
                Method("dkim", "pass", Prop("header.d", "example.com")) with { Comments = ["signature was verified"] },
                Method("dmarc", "pass", Prop("action", "none"), Prop("header.from", "example.com")),
                Method("compauth", "pass") with { Reason = "100" })));
            Assert.That(parsed.Deviations, Is.EqualTo(AuthResultsDeviations.MissingAuthServId | AuthResultsDeviations.UnqualifiedProperty));
            Assert.That(parsed.Header!.Find(AuthMethod.Dmarc)!.Method.IsRegistered, Is.True);
            Assert.That(parsed.Header.Results[3].Method.IsRegistered, Is.False, "compauth is Microsoft's own");
        });
    }

    [Test]
    public void MicrosoftStyle_FailuresAndUnregisteredWords()
    {
        var value = " spf=fail (sender IP is 203.0.113.5) smtp.mailfrom=example.net; dkim=none (message not signed)\r\n"
            + " header.d=none;dmarc=bestguesspass action=none header.from=example.net;compauth=softpass reason=201";
        var parsed = Parse(value);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.AuthServId, Is.Empty);
            Assert.That(parsed.Results, Has.Count.EqualTo(4));
            Assert.That(parsed.Results[2].Result.Name, Is.EqualTo("bestguesspass"));
            Assert.That(parsed.Results[2].Result.IsRegistered, Is.False);
            Assert.That(parsed.Results[2].GetProperty(PropertyType.Header, "from"), Is.EqualTo("example.net"));
            Assert.That(parsed.Results[3].Reason, Is.EqualTo("201"));
            Assert.That(parsed.Results[1].GetProperty(PropertyType.Header, "d"), Is.EqualTo("none"));
        });
    }

    [Test]
    public void FastmailStyle_BareParametersAndPropertyComments()
    {
        var value = ValueOf("Authentication-Results: mx4.fastmail.example;\r\n"
            + "    dkim=pass (2048-bit rsa key sha256) header.d=example.com\r\n"
            + "      header.i=@example.com header.b=AbCdEf12 header.a=rsa-sha256\r\n"
            + "      header.s=fm2 x-bits=2048;\r\n"
            + "    dmarc=pass policy.published-domain-policy=none\r\n"
            + "      policy.applied-disposition=none policy.evaluated-disposition=none\r\n"
            + "      (p=none,d=none,d.eval=none) policy.policy-from=p\r\n"
            + "      header.from=example.com;\r\n"
            + "    iprev=pass smtp.remote-ip=192.0.2.7 (mail.example.com);\r\n"
            + "    spf=pass smtp.mailfrom=bounce@example.com\r\n"
            + "      smtp.helo=mail.example.com;\r\n"
            + "    x-aligned-from=pass (Address match);\r\n"
            + "    x-me-sender=none\r\n");
        AssertParses(value, Header("mx4.fastmail.example",
                Method("dkim", "pass", Prop("header.d", "example.com"), Prop("header.i", "@example.com"), Prop("header.b", "AbCdEf12"),
                    Prop("header.a", "rsa-sha256"), Prop("header.s", "fm2"), Prop("x-bits", "2048")) with { Comments = ["2048-bit rsa key sha256"] },
                Method("dmarc", "pass", Prop("policy.published-domain-policy", "none"), Prop("policy.applied-disposition", "none"),
                    Prop("policy.evaluated-disposition", "none", "p=none,d=none,d.eval=none"), Prop("policy.policy-from", "p"),
                    Prop("header.from", "example.com")),
                Method("iprev", "pass", Prop("smtp.remote-ip", "192.0.2.7", "mail.example.com")),
                Method("spf", "pass", Prop("smtp.mailfrom", "bounce@example.com"), Prop("smtp.helo", "mail.example.com")),
                Method("x-aligned-from", "pass") with { Comments = ["Address match"] },
                Method("x-me-sender", "none")),
            AuthResultsDeviations.UnqualifiedProperty);
    }

    [Test]
    public void YahooStyle_TrailingSemicolonAndCommentGluedToResult()
    {
        var value = ValueOf("Authentication-Results: atlas-baseline-203.mail.yahoo.example;\r\n"
            + " dkim=pass header.i=@example.com header.s=s2048;\r\n"
            + " spf=pass smtp.mailfrom=example.com;\r\n"
            + " dmarc=pass(p=REJECT) header.from=example.com;\r\n");
        AssertParses(value, Header("atlas-baseline-203.mail.yahoo.example",
                Method("dkim", "pass", Prop("header.i", "@example.com"), Prop("header.s", "s2048")),
                Method("spf", "pass", Prop("smtp.mailfrom", "example.com")),
                Method("dmarc", "pass", Prop("header.from", "example.com")) with { Comments = ["p=REJECT"] }),
            AuthResultsDeviations.TrailingSemicolon);
    }

    [Test]
    public void OpenDkimStyle_QuotedSignaturePrefixAndAtps()
    {
        var value = ValueOf("Authentication-Results: mail.example.net;\r\n"
            + "\tdkim=pass (2048-bit key; unprotected) header.d=example.com header.i=@example.com header.a=rsa-sha256 header.s=sel1 header.b=\"Ab/Cd+Ef\";\r\n"
            + "\tdkim-atps=neutral\r\n");
        AssertParses(value, Header("mail.example.net",
            Method("dkim", "pass", Prop("header.d", "example.com"), Prop("header.i", "@example.com"), Prop("header.a", "rsa-sha256"),
                Prop("header.s", "sel1"), Prop("header.b", "Ab/Cd+Ef")) with { Comments = ["2048-bit key; unprotected"] },
            Method("dkim-atps", "neutral")));
    }

    [Test]
    public void OpenDmarcAndPolicydSpfStyles()
    {
        AssertParses(" mail.example.net; dmarc=fail (p=reject dis=none) header.from=example.com",
            Header("mail.example.net", Method("dmarc", "fail", Prop("header.from", "example.com")) with { Comments = ["p=reject dis=none"] }));
        AssertParses(" mail.example.net; spf=softfail (domain of transitioning alice@example.com does not designate 192.0.2.1 as permitted sender) smtp.mailfrom=alice@example.com smtp.helo=mta.example.com",
            Header("mail.example.net", Method("spf", "softfail", Prop("smtp.mailfrom", "alice@example.com"), Prop("smtp.helo", "mta.example.com"))
                with { Comments = ["domain of transitioning alice@example.com does not designate 192.0.2.1 as permitted sender"] }));
    }

    [Test]
    public void QuotedIdQuotedValuesAndQuotedLocalPart()
    {
        AssertParses("\"mx.example.com\"; dkim=pass header.d=\"github.example\" header.i=\"dkim+x@example.github.example\" smtp.mailfrom=\"john doe\"@example.com",
            Header("mx.example.com", Method("dkim", "pass", Prop("header.d", "github.example"),
                Prop("header.i", "dkim+x@example.github.example"), Prop("smtp.mailfrom", "\"john doe\"@example.com"))));
    }

    [Test]
    public void NestedCommentsAndQuotedPairs()
    {
        var parsed = Parse("example.com (outer (inner) \\) text); spf=pass (a \\(b\\) c) reason=\"say \\\"hi\\\"\" smtp.helo=h.example.com");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.Comments, Is.EqualTo(new[] { "outer (inner) ) text" }));
            Assert.That(parsed.Results[0].Comments, Is.EqualTo(new[] { "a (b) c" }));
            Assert.That(parsed.Results[0].Reason, Is.EqualTo("say \"hi\""));
        });
    }

    [Test]
    public void KeywordsAreCaseInsensitiveAndStoredLowerCase()
    {
        var parsed = Parse("MX.Example.COM; DKIM=PASS Header.D=Example.COM");
        Assert.Multiple(() =>
        {
            Assert.That(parsed.AuthServId, Is.EqualTo("MX.Example.COM"));
            Assert.That(parsed.Results[0].Method, Is.SameAs(AuthMethod.Dkim));
            Assert.That(parsed.Results[0].Result, Is.SameAs(AuthResultWord.Pass));
            Assert.That(parsed.Results[0].Properties[0].Type, Is.SameAs(PropertyType.Header));
            Assert.That(parsed.Results[0].Properties[0].Name, Is.EqualTo("d"));
            Assert.That(parsed.Results[0].Properties[0].Value, Is.EqualTo("Example.COM"), "values keep their case");
        });
    }

    [Test]
    public void LfOnlyFoldingAsMiltersDeliverIt()
    {
        var parsed = Parse("mx.example.com;\n\tspf=pass\n\t smtp.mailfrom=a@example.com;\n\tdkim=none");
        Assert.That(parsed.Results, Has.Count.EqualTo(2));
    }

    [Test]
    public void Rfc7410RegisteredMethodsAndPropertyTypes()
    {
        var parsed = Parse("mx.example.com; arc=pass smtp.remote-ip=192.0.2.1 header.oldest-pass=0; "
            + "smime=pass body.smime-identifier=user@example.com; dnswl=pass dns.zone=list.dnswl.example policy.ip=127.0.10.1; "
            + "rrvs=unknown smtp.rcptto=user@example.com; vbr=pass header.md=example.com header.mv=vbr.example; dkim-adsp=nxdomain header.from=x@example.com");
        Assert.Multiple(() =>
        {
            foreach (var result in parsed.Results)
            {
                Assert.That(result.Method.IsRegistered, Is.True, result.Method.Name);
                Assert.That(AuthResultsRegistry.IsRegisteredResult(result.Method, result.Result), Is.True, result.ToString());
                foreach (var property in result.Properties)
                {
                    Assert.That(property.Type!.IsRegistered, Is.True);
                    Assert.That(AuthResultsRegistry.IsRegisteredProperty(result.Method, property.Type, property.Name), Is.True, property.ToString());
                }
            }
        });
    }

    [TestCase("", 0, "empty")]
    [TestCase("   (only a comment)  ", 21, "empty")]
    [TestCase("example.com", 11, "expected ';'")]
    [TestCase("example.com spf=pass", 12, "unexpected 's'")]
    [TestCase("example.com; spf", 16, "expected '='")]
    [TestCase("example.com; spf=", 17, "result word")]
    [TestCase("example.com; spf=pass smtp", 26, "expected '.' or '='")]
    [TestCase("example.com; spf=pass smtp.=x", 27, "property name")]
    [TestCase("example.com; spf=pass smtp.helo=", 32, "expected a value")]
    [TestCase("example.com; spf=pass (unterminated", 22, "unterminated comment")]
    [TestCase("example.com; spf=pass reason=\"open", 29, "unterminated quoted string")]
    [TestCase("\"example.com; none", 0, "unterminated quoted string")]
    [TestCase("example.com; none; spf=pass", 19, "'none' must be the only result")]
    [TestCase("example.com; spf=pass\r\nX-Injected: 1", 21, "line break")]
    [TestCase("example.com 12345678901; none", 12, "too long")]
    [TestCase("example.com; dkim/=pass", 18, "version number")]
    [TestCase("example.com; =pass", 13, "expected a method")]
    [TestCase("example.com;;", 12, "expected a method")]
    [TestCase("example.com; dkim-=pass", 13, "not a keyword")]
    public void MalformedValuesFailWithPositionAndReason(string value, int position, string reason)
    {
        var parsed = AuthenticationResultsParser.Parse(value);
        Assert.Multiple(() =>
        {
            Assert.That(parsed.IsSuccess, Is.False);
            Assert.That(parsed.Error, Does.Contain(reason));
            Assert.That(parsed.ErrorPosition, Is.EqualTo(position));
        });
    }

    [Test]
    public void NeverThrowsOnRandomOrTruncatedInput()
    {
        const string sample = "mx.example.com (c (n)) 1; dkim/1=pass reason=\"a \\\"b\\\"\" header.i=\"x y\"@example.com header.b=ab/cd;\r\n\tspf=fail (x) smtp.mailfrom=a@b.example";
        var random = new Random(8601);
        var alphabet = "ab.-@;=()\"\\ \t\r\n/1é\u0000\u200B";
        var successes = 0;
        for (var length = 0; length <= sample.Length; length++)
        {
            successes += AuthenticationResultsParser.Parse(sample[..length]).IsSuccess ? 1 : 0;
        }

        for (var i = 0; i < 20000; i++)
        {
            var chars = sample.ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var mutated = new string(chars);
            var result = AuthenticationResultsParser.Parse(mutated);
            if (!result.IsSuccess)
            {
                Assert.That(result.ErrorPosition, Is.InRange(0, mutated.Length), mutated);
            }

            var noise = new char[random.Next(0, 40)];
            for (var j = 0; j < noise.Length; j++)
            {
                noise[j] = alphabet[random.Next(alphabet.Length)];
            }

            AuthenticationResultsParser.Parse(new string(noise));
        }

        Assert.That(successes, Is.GreaterThan(0), "some prefixes of a valid header are themselves valid");
    }
}
