using Filter.Engine.AuthResults;
using static Filter.Engine.Tests.AuthResults.AuthResultsModel;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>The round-trip tests lean on model equality; these prove it really compares every part.</summary>
public sealed class AuthResultsModelTests
{
    private static readonly AuthenticationResults s_base = Header("mx.example.com",
        Method("dkim", "pass", Prop("header.d", "example.com", "c")) with { Reason = "r", Comments = ["m"], MethodVersion = 1 });

    [Test]
    public void EqualModelsAreEqual()
    {
        var copy = Header("mx.example.com",
            Method("DKIM", "PASS", Prop("header.d", "example.com", "c")) with { Reason = "r", Comments = ["m"], MethodVersion = 1 });
        Assert.That(copy, Is.EqualTo(s_base));
    }

    [Test]
    public void EveryPartTakesPartInEquality()
    {
        var method = s_base.Results[0];
        AuthenticationResults[] variants =
        [
            s_base with { AuthServId = "MX.example.com" },
            s_base with { Version = 1 },
            s_base with { Comments = ["x"] },
            s_base with { Results = [] },
            s_base with { Results = [method with { Reason = null }] },
            s_base with { Results = [method with { Comments = [] }] },
            s_base with { Results = [method with { MethodVersion = null }] },
            s_base with { Results = [method with { Properties = [] }] },
            s_base with { Results = [method with { Properties = [Prop("header.d", "Example.com", "c")] }] },
            s_base with { Results = [method with { Properties = [Prop("header.d", "example.com")] }] },
            s_base with { Results = [method with { Properties = [Prop("header.i", "example.com", "c")] }] },
            s_base with { Results = [method with { Properties = [Prop("smtp.d", "example.com", "c")] }] },
            s_base with { Results = [method with { Properties = [Prop("d", "example.com", "c")] }] },
            s_base with { Results = [Method("dkim", "fail", Prop("header.d", "example.com", "c")) with { Reason = "r", Comments = ["m"], MethodVersion = 1 }] },
            s_base with { Results = [Method("spf", "pass", Prop("header.d", "example.com", "c")) with { Reason = "r", Comments = ["m"], MethodVersion = 1 }] },
        ];
        Assert.Multiple(() =>
        {
            foreach (var variant in variants)
            {
                Assert.That(variant, Is.Not.EqualTo(s_base));
            }
        });
    }

    [TestCase("dkim", true)]
    [TestCase("DKIM", true)]
    [TestCase("compauth", false)]
    [TestCase("x-y1", false)]
    public void MethodNamesAreKeywordsRegisteredOrNot(string name, bool registered)
    {
        Assert.That(AuthMethod.TryCreate(name, out var method), Is.True);
        Assert.That(method.IsRegistered, Is.EqualTo(registered));
    }

    [TestCase("")]
    [TestCase("a b")]
    [TestCase("dkim-")]
    [TestCase("spf.x")]
    [TestCase("é")]
    public void NonKeywordsAreRejected(string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That(AuthMethod.TryCreate(name, out _), Is.False);
            Assert.That(AuthResultWord.TryCreate(name, out _), Is.False);
            Assert.That(PropertyType.TryCreate(name, out _), Is.False);
        });
    }

    [Test]
    public void RegistryKnowsWhichWordsBelongToWhichMethod()
    {
        Assert.Multiple(() =>
        {
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.Spf, AuthResultWord.SoftFail), Is.True);
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.Dkim, AuthResultWord.SoftFail), Is.False);
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.Dmarc, AuthResultWord.Policy), Is.False);
            Assert.That(AuthResultsRegistry.IsRegisteredResult(AuthMethod.DkimAdsp, AuthResultWord.NxDomain), Is.True);
            Assert.That(AuthResultsRegistry.IsRegisteredProperty(AuthMethod.Dmarc, PropertyType.Policy, "dmarc"), Is.True);
            Assert.That(AuthResultsRegistry.IsRegisteredProperty(AuthMethod.Spf, PropertyType.Header, "from"), Is.False);
        });
    }
}
