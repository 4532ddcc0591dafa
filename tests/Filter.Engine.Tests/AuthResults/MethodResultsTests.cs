using Filter.Engine.AuthResults;
using Filter.Engine.Dkim;
using Filter.Engine.Spf;
using static Filter.Engine.Tests.AuthResults.AuthResultsModel;

namespace Filter.Engine.Tests.AuthResults;

public sealed class MethodResultsTests
{
    /// <summary>The resinfo as written, with each fold and its indentation shown as one space.</summary>
    private static string Write(MethodResult result)
    {
        var text = new AuthenticationResultsFormatter("mx.example.com").Format([result]);
        Assert.That(text, Does.StartWith("mx.example.com;\r\n\t"));
        return AuthResultsModel.Unfold(text["mx.example.com;\r\n\t".Length..]);
    }

    [TestCase(SpfResultCode.None, "none")]
    [TestCase(SpfResultCode.Neutral, "neutral")]
    [TestCase(SpfResultCode.Pass, "pass")]
    [TestCase(SpfResultCode.Fail, "fail")]
    [TestCase(SpfResultCode.SoftFail, "softfail")]
    [TestCase(SpfResultCode.TempError, "temperror")]
    [TestCase(SpfResultCode.PermError, "permerror")]
    public void SpfResultWordsAreRfc8601Section272(SpfResultCode code, string word)
    {
        var result = MethodResults.FromSpf(new SpfResult(code, SpfIdentity.MailFrom, "example.com", "bob@example.com", null, null, "why"));
        Assert.Multiple(() =>
        {
            Assert.That(Write(result), Is.EqualTo($"spf={word} reason=why smtp.mailfrom=bob@example.com"));
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.Spf, result.Result), Is.True);
        });
    }

    [Test]
    public void SpfHeloIdentityWritesSmtpHeloAndExplanationIsNotCopied()
    {
        var result = MethodResults.FromSpf(new SpfResult(SpfResultCode.Fail, SpfIdentity.Helo, "mta.example.com", "postmaster@mta.example.com",
            "-all", "Go away, see http://evil.example/", "192.0.2.9 matched -all"));
        Assert.That(Write(result), Is.EqualTo("spf=fail reason=\"192.0.2.9 matched -all\" smtp.helo=mta.example.com"));
    }

    [Test]
    public void SpfWithoutAnAddressFallsBackToTheDomain()
    {
        var result = MethodResults.FromSpf(new SpfResult(SpfResultCode.None, SpfIdentity.MailFrom, "example.com", "", null, null, ""));
        Assert.That(Write(result), Is.EqualTo("spf=none smtp.mailfrom=example.com"));
    }

    [TestCase(DkimResultCode.None, "none")]
    [TestCase(DkimResultCode.Pass, "pass")]
    [TestCase(DkimResultCode.Fail, "fail")]
    [TestCase(DkimResultCode.Neutral, "neutral")]
    [TestCase(DkimResultCode.Policy, "policy")]
    [TestCase(DkimResultCode.TempError, "temperror")]
    [TestCase(DkimResultCode.PermError, "permerror")]
    public void DkimResultWordsAreRfc8601Section271(DkimResultCode code, string word)
    {
        var result = MethodResults.FromDkim(new DkimSignatureResult(code, "example.com", "@example.com", "sel", "ed25519-sha256", "AbCdEfGh", "r"));
        Assert.Multiple(() =>
        {
            Assert.That(Write(result), Is.EqualTo(
                $"dkim={word} reason=r header.d=example.com header.i=@example.com header.s=sel header.a=ed25519-sha256 header.b=AbCdEfGh"));
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.Dkim, result.Result), Is.True);
            foreach (var property in result.Properties)
            {
                Assert.That(AuthResultsRegistry.IsRegisteredProperty(AuthMethod.Dkim, property.Type!, property.Name), Is.True, property.ToString());
            }
        });
    }

    [Test]
    public void DkimTagsThatCouldNotBeReadAreLeftOut()
    {
        var result = MethodResults.FromDkim(new DkimSignatureResult(DkimResultCode.PermError, "", null, "", "", null, "no d= tag"));
        Assert.That(Write(result), Is.EqualTo("dkim=permerror reason=\"no d= tag\""));
    }

    [Test]
    public void DmarcEntryCarriesPolicyDispositionCommentAndReason()
    {
        var result = MethodResults.ForDmarc(AuthResultWord.Fail, "example.com", DmarcPolicyWord.Reject, DmarcPolicyWord.Quarantine,
            "local policy: quarantine instead of reject");
        Assert.Multiple(() =>
        {
            Assert.That(Write(result), Is.EqualTo(
                "dmarc=fail (disposition=quarantine) reason=\"local policy: quarantine instead of reject\" header.from=example.com policy.dmarc=reject"));
            Assert.That(result.GetProperty(PropertyType.Policy, "dmarc"), Is.EqualTo("reject"));
            Assert.That(() => MethodResults.ForDmarc(AuthResultWord.SoftFail, "example.com", null, null, null), Throws.ArgumentException,
                "softfail is not a DMARC result (IANA Email Authentication Result Names)");
        });
    }

    [Test]
    public void DmarcNoneWithoutPolicy()
    {
        Assert.That(Write(MethodResults.ForDmarc(AuthResultWord.None, "example.com", null, null, null)),
            Is.EqualTo("dmarc=none header.from=example.com"));
    }

    [Test]
    public void BuiltEntriesParseBackUnchanged()
    {
        var results = new[]
        {
            MethodResults.FromSpf(new SpfResult(SpfResultCode.SoftFail, SpfIdentity.MailFrom, "example.com", "\"odd user\"@example.com", null, null, "~all")),
            MethodResults.FromDkim(new DkimSignatureResult(DkimResultCode.Pass, "example.com", "user@sub.example.com", "sel", "rsa-sha256", "ab+/cd==", "ok")),
            MethodResults.ForDmarc(AuthResultWord.PermError, "example.com", DmarcPolicyWord.None, DmarcPolicyWord.None, "two records"),
        };
        var text = new AuthenticationResultsFormatter("mx.example.com").Format(results);
        Assert.That(Parse(text), Is.EqualTo(Header("mx.example.com", results)));
    }
}
