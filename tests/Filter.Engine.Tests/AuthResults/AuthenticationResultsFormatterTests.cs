using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Spf;
using static Filter.Engine.Tests.AuthResults.AuthResultsModel;

namespace Filter.Engine.Tests.AuthResults;

public sealed class AuthenticationResultsFormatterTests
{
    private static readonly AuthenticationResultsFormatter s_formatter = new("mx.example.com");

    /// <summary>Each physical line of the field as a message carries it, name included.</summary>
    private static string[] Lines(string value) => ("Authentication-Results: " + value).Split("\r\n");

    private static void AssertLineLimits(string value, int maxColumns = AuthenticationResultsFormatter.FoldColumn)
    {
        Assert.That(value, Does.Not.Contain("\n\r").And.Not.Match("[^\r]\n").And.Not.Match("\r[^\n]"), "only CRLF line breaks");
        foreach (var line in Lines(value))
        {
            Assert.That(AuthResultsSyntax.Utf8Length(line), Is.LessThanOrEqualTo(AuthenticationResultsFormatter.MaxLineOctets), line);
            Assert.That(line.Length, Is.LessThanOrEqualTo(maxColumns), line);
            Assert.That(line.Trim(), Is.Not.Empty, "RFC 5322 §3.2.2: no line of white space only");
        }
    }

    [Test]
    public void TypicalHeader_SpfTwoDkimDmarc()
    {
        var value = s_formatter.Format([
            MethodResults.FromSpf(new SpfResult(SpfResultCode.Pass, SpfIdentity.MailFrom, "example.org", "alice@example.org",
                "ip4:192.0.2.0/24", null, "192.0.2.1 matched ip4:192.0.2.0/24")),
            MethodResults.FromDkim(new DkimSignatureResult(DkimResultCode.Pass, "example.org", "@example.org", "sel1", "rsa-sha256",
                "AbCdEfGh", "signature verified")),
            MethodResults.FromDkim(new DkimSignatureResult(DkimResultCode.Fail, "mailer.example.net", null, "s2048", "rsa-sha256",
                "Zx/9+kLm", "body hash did not verify")),
            MethodResults.ForDmarc(AuthResultWord.Pass, "example.org", DmarcPolicyWord.Reject, DmarcPolicyWord.None, null),
        ]);

        Assert.That(value, Is.EqualTo(
            "mx.example.com;\r\n"
            + "\tspf=pass reason=\"192.0.2.1 matched ip4:192.0.2.0/24\"\r\n"
            + "\t  smtp.mailfrom=alice@example.org;\r\n"
            + "\tdkim=pass reason=\"signature verified\" header.d=example.org\r\n"
            + "\t  header.i=@example.org header.s=sel1 header.a=rsa-sha256 header.b=AbCdEfGh;\r\n"
            + "\tdkim=fail reason=\"body hash did not verify\" header.d=mailer.example.net\r\n"
            + "\t  header.s=s2048 header.a=rsa-sha256 header.b=\"Zx/9+kLm\";\r\n"
            + "\tdmarc=pass (disposition=none) header.from=example.org policy.dmarc=reject"));
        AssertLineLimits(value);
    }

    [Test]
    public void NoResultsWritesNone()
    {
        Assert.That(s_formatter.Format([]), Is.EqualTo("mx.example.com; none"));
        Assert.That(AuthenticationResultsFormatter.Write(new AuthenticationResults("example.org") { Version = 1 }),
            Is.EqualTo("example.org 1; none"), "RFC 8601 Appendix B.2");
    }

    [TestCase("example.com", "example.com")]
    [TestCase("user@example.com", "user@example.com")]
    [TestCase("@example.com", "@example.com")]
    [TestCase("first.last+tag@sub.example.com", "first.last+tag@sub.example.com")]
    [TestCase("\"john doe\"@example.com", "\"john doe\"@example.com")]
    [TestCase("user@localhost", "\"user@localhost\"")]
    [TestCase("user@@example.com", "\"user@@example.com\"")]
    [TestCase("john doe@example.com", "\"john doe@example.com\"")]
    [TestCase("ab/cd+ef=", "\"ab/cd+ef=\"")]
    [TestCase("", "\"\"")]
    [TestCase("say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\"")]
    [TestCase("a;b", "\"a;b\"")]
    [TestCase("münchen.example", "\"münchen.example\"")]
    public void PropertyValuesAreQuotedOnlyWhenTheyMustBe(string value, string written)
    {
        var header = Header("mx.example.com", Method("dkim", "pass", Prop("header.i", value)));
        var text = AuthenticationResultsFormatter.Write(header);
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("mx.example.com;\r\n\tdkim=pass header.i=" + written));
            Assert.That(Parse(text), Is.EqualTo(header));
        });
    }

    [Test]
    public void AuthServIdAndReasonAreTokensOrQuoted()
    {
        Assert.That(AuthenticationResultsFormatter.Write(new AuthenticationResults("mail relay@example.com")
        {
            Results = [Method("spf", "none") with { Reason = "no record" }, Method("iprev", "pass") with { Reason = "ok" }],
        }), Is.EqualTo("\"mail relay@example.com\";\r\n\tspf=none reason=\"no record\";\r\n\tiprev=pass reason=ok"));
    }

    [Test]
    public void CommentsAreEscapedSoNestingAndBackslashesSurvive()
    {
        var header = Header("mx.example.com", Method("spf", "pass") with { Comments = ["a (b) c\\", "unbalanced ) ("] });
        var text = AuthenticationResultsFormatter.Write(header);
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("mx.example.com;\r\n\tspf=pass (a \\(b\\) c\\\\) (unbalanced \\) \\()"));
            Assert.That(Parse(text), Is.EqualTo(header));
        });
    }

    [Test]
    public void ControlCharactersCannotInjectALine()
    {
        var dkim = new DkimSignatureResult(DkimResultCode.Fail, "example.com", "evil\r\nX-Spam: no@example.com", "s\0el", "rsa-sha256",
            "AbCdEfGh", "bad\nreason");
        var text = s_formatter.Format([MethodResults.FromDkim(dkim)]);
        var unfolded = Unfold(text);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("\nX-Spam"));
            Assert.That(unfolded, Does.Contain("header.i=\"evil??X-Spam: no@example.com\""));
            Assert.That(unfolded, Does.Contain("header.s=\"s?el\""));
            Assert.That(unfolded, Does.Contain("reason=\"bad?reason\""));
            AssertLineLimits(text);
        });
    }

    [Test]
    public void LongReasonFoldsInsideTheQuotedStringAtExistingSpaces()
    {
        var reason = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"word{i}"));
        var header = Header("mx.example.com", Method("dkim", "fail", Prop("header.d", "example.com")) with { Reason = reason });
        var text = AuthenticationResultsFormatter.Write(header);
        Assert.Multiple(() =>
        {
            Assert.That(Lines(text), Has.Length.GreaterThan(4));
            Assert.That(text, Does.Contain("\r\n word"), "folded before a space that was already in the reason");
            AssertLineLimits(text);
            Assert.That(Parse(text), Is.EqualTo(header));
        });
    }

    [Test]
    public void UnbreakableValuesGetTheirOwnLineAndStayUnder998Octets()
    {
        var longDomain = string.Join('.', Enumerable.Range(0, 20).Select(i => $"label{i:D2}xxxxxx")) + ".example";
        var header = Header("mx.example.com",
            Method("dkim", "pass", Prop("header.d", longDomain), Prop("header.s", "sel")),
            Method("spf", "pass", Prop("smtp.mailfrom", "a@" + longDomain)));
        var text = AuthenticationResultsFormatter.Write(header);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\r\n\t  header.d=" + longDomain + "\r\n\t  header.s=sel;"), "never folded inside a token");
            AssertLineLimits(text, maxColumns: AuthenticationResultsFormatter.MaxLineOctets);
            Assert.That(Parse(text), Is.EqualTo(header));
        });
    }

    [Test]
    public void AbsurdValuesAreCutSoNoLinePasses998Octets()
    {
        var huge = new string('"', 5000);
        var hugeToken = new string('x', 5000);
        var wide = new string('é', 3000);
        var text = AuthenticationResultsFormatter.Write(Header("mx.example.com",
            Method("dkim", "pass", Prop("header.i", huge), Prop("header.d", hugeToken), Prop("header.s", wide)) with { Reason = huge, Comments = [hugeToken] }));
        var parsed = Parse(text);
        Assert.Multiple(() =>
        {
            AssertLineLimits(text, maxColumns: AuthenticationResultsFormatter.MaxLineOctets);
            Assert.That(parsed.Results[0].Properties[1].Value, Has.Length.EqualTo(AuthResultsSyntax.MaxTextLength));
        });
    }

    [Test]
    public void FormatterRefusesABadAuthServId()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new AuthenticationResultsFormatter(""), Throws.ArgumentException);
            Assert.That(() => new AuthenticationResultsFormatter("mx\r\nX-Evil: 1"), Throws.ArgumentException);
        });
    }
}
