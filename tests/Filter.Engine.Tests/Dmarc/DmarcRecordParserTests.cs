using Filter.Engine.Dmarc;

namespace Filter.Engine.Tests.Dmarc;

public sealed class DmarcRecordParserTests
{
    private static DmarcRecord Usable(string text, DmarcMode mode = DmarcMode.Rfc9989)
    {
        var parsed = DmarcRecordParser.Parse(text, mode);
        Assert.That(parsed.Status, Is.EqualTo(DmarcRecordParseStatus.Record), parsed.Reason);
        return parsed.Record!;
    }

    [Test]
    public void EveryTagIsReadWithItsValue_Rfc9989Section4_7()
    {
        var record = Usable("v=DMARC1; p=quarantine; sp=reject; np=none; psd=n; t=y; adkim=s; aspf=s; "
            + "rua=mailto:agg@example.com, https://reports.example.net/dmarc; ruf=mailto:fail@example.com; fo=1:d:s");

        Assert.Multiple(() =>
        {
            Assert.That(record.Policy, Is.EqualTo(DmarcPolicy.Quarantine));
            Assert.That(record.SubdomainPolicy, Is.EqualTo(DmarcPolicy.Reject));
            Assert.That(record.NonExistentPolicy, Is.EqualTo(DmarcPolicy.None));
            Assert.That(record.Psd, Is.EqualTo(DmarcPsd.No));
            Assert.That(record.TestMode, Is.True);
            Assert.That(record.DkimAlignment, Is.EqualTo(DmarcAlignmentMode.Strict));
            Assert.That(record.SpfAlignment, Is.EqualTo(DmarcAlignmentMode.Strict));
            Assert.That(record.AggregateReportUris, Is.EqualTo(new[] { "mailto:agg@example.com", "https://reports.example.net/dmarc" }));
            Assert.That(record.FailureReportUris, Is.EqualTo(new[] { "mailto:fail@example.com" }));
            Assert.That(record.FailureOptions, Is.EqualTo("1:d:s"));
            Assert.That(record.Percent, Is.EqualTo(100), "RFC 9989 Appendix A.6: pct is gone");
            Assert.That(record.Warnings, Is.Empty);
        });
    }

    [Test]
    public void DefaultsApplyWhenTagsAreAbsent_Rfc9989Section4_7()
    {
        var record = Usable("v=DMARC1; p=reject");

        Assert.Multiple(() =>
        {
            Assert.That(record.SubdomainPolicy, Is.EqualTo(DmarcPolicy.Reject), "sp defaults to p");
            Assert.That(record.NonExistentPolicy, Is.EqualTo(DmarcPolicy.Reject), "np defaults to sp, then p");
            Assert.That(record.DkimAlignment, Is.EqualTo(DmarcAlignmentMode.Relaxed));
            Assert.That(record.SpfAlignment, Is.EqualTo(DmarcAlignmentMode.Relaxed));
            Assert.That(record.Psd, Is.EqualTo(DmarcPsd.Unspecified));
            Assert.That(record.TestMode, Is.False);
            Assert.That(record.FailureOptions, Is.EqualTo("0"));
            Assert.That(record.AggregateReportUris, Is.Empty);
        });
    }

    [Test]
    public void NpDefaultsToSpWhenSpIsGiven_Rfc9989Section4_7Np() =>
        Assert.That(Usable("v=DMARC1; p=none; sp=quarantine").NonExistentPolicy, Is.EqualTo(DmarcPolicy.Quarantine));

    [TestCase("v=DMARC1; p=reject; pct=25; rf=afrf; ri=3600", 25)]
    [TestCase("v=DMARC1; p=reject; pct=101", 100)]
    [TestCase("v=DMARC1; p=reject; pct=-1", 100)]
    [TestCase("v=DMARC1; p=reject; pct=0050", 100)]
    [TestCase("v=DMARC1; p=reject", 100)]
    public void PctIsHonouredOnlyInRfc7489Mode_Rfc7489Section6_3(string text, int expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Usable(text, DmarcMode.Rfc7489).Percent, Is.EqualTo(expected));
            Assert.That(Usable(text, DmarcMode.Rfc9989).Percent, Is.EqualTo(100), "RFC 9989 A.6: pct ignored");
        });
    }

    [Test]
    public void NpPsdAndTAreUnknownTagsInRfc7489Mode()
    {
        var record = Usable("v=DMARC1; p=reject; sp=quarantine; np=none; psd=y; t=y", DmarcMode.Rfc7489);

        Assert.Multiple(() =>
        {
            Assert.That(record.NonExistentPolicy, Is.EqualTo(DmarcPolicy.Quarantine), "no np in RFC 7489: sp applies");
            Assert.That(record.Psd, Is.EqualTo(DmarcPsd.Unspecified));
            Assert.That(record.TestMode, Is.False);
        });
    }

    [TestCase("v=DMARC1; p=reject; np=bogus", DmarcRecordParseStatus.NoDmarcProcessing)]
    [TestCase("v=DMARC1; p=reject; np=bogus; rua=mailto:a@example.com", DmarcRecordParseStatus.Record)]
    [TestCase("v=DMARC1; p=reject; sp=", DmarcRecordParseStatus.NoDmarcProcessing)]
    [TestCase("v=DMARC1; p=; rua=mailto:a@example.com", DmarcRecordParseStatus.Record)]
    [TestCase("v=DMARC1; p=reject; sp=bogus; rua=not a uri", DmarcRecordParseStatus.NoDmarcProcessing)]
    public void InvalidPolicyTagsDisableDmarcUnlessRuaIsValid_Rfc9989Section4_10_1(string text, DmarcRecordParseStatus expected)
    {
        var parsed = DmarcRecordParser.Parse(text, DmarcMode.Rfc9989);

        Assert.That(parsed.Status, Is.EqualTo(expected), parsed.Reason);
        if (expected == DmarcRecordParseStatus.Record)
        {
            Assert.That(parsed.Record!.Policy, Is.EqualTo(DmarcPolicy.None), "acts as p=none");
        }
    }

    [Test]
    public void BadNpIsUnknownInRfc7489ModeSoTheRecordStaysUsable() =>
        Assert.That(DmarcRecordParser.Parse("v=DMARC1; p=reject; np=bogus", DmarcMode.Rfc7489).Status, Is.EqualTo(DmarcRecordParseStatus.Record));

    [TestCase("V=DMARC1; p=reject")]
    [TestCase("v\t=\tDMARC1\t;\tp\t=\treject\t;")]
    [TestCase("v=DMARC1;;p=reject;;")]
    public void TagNamesAreCaseInsensitiveAndWhitespaceIsAllowed_Rfc9989Section4_8(string text) =>
        Assert.That(Usable(text).Policy, Is.EqualTo(DmarcPolicy.Reject));

    [TestCase("v=DMARC1 p=reject")]
    [TestCase(" ; v=DMARC1; p=reject")]
    [TestCase("v=DMARC1\u00A0; p=reject")]
    [TestCase("v=\"DMARC1\"; p=reject")]
    public void VersionMustBeFirstAndExact_Rfc9989Section4_7V(string text) =>
        Assert.That(DmarcRecordParser.Parse(text, DmarcMode.Rfc9989).Status, Is.EqualTo(DmarcRecordParseStatus.NotDmarc));

    [Test]
    public void FirstOfTwoEqualTagsWinsAndIsReported()
    {
        var record = Usable("v=DMARC1; p=reject; p=none");

        Assert.Multiple(() =>
        {
            Assert.That(record.Policy, Is.EqualTo(DmarcPolicy.Reject));
            Assert.That(record.Warnings, Has.Some.Contains("twice"));
        });
    }

    [TestCase("fo=0:1")]
    [TestCase("fo=d:d")]
    [TestCase("fo=x")]
    [TestCase("fo=")]
    public void InvalidFoFallsBackToZero_Rfc9989Section4_8(string tag) =>
        Assert.That(Usable("v=DMARC1; p=none; " + tag).FailureOptions, Is.EqualTo("0"));

    [TestCase("psd=maybe", DmarcPsd.Unspecified)]
    [TestCase("psd=Y", DmarcPsd.Yes)]
    [TestCase("psd=u", DmarcPsd.Unspecified)]
    public void PsdValues_Rfc9989Section4_7Psd(string tag, DmarcPsd expected) =>
        Assert.That(Usable("v=DMARC1; p=none; " + tag).Psd, Is.EqualTo(expected));

    [Test]
    public void ObsoleteReportSizeSuffixStillMakesRuaValid_Rfc9989Section4_8()
    {
        var parsed = DmarcRecordParser.Parse("v=DMARC1; rua=mailto:a@example.com!10m", DmarcMode.Rfc9989);

        Assert.That(parsed.Status, Is.EqualTo(DmarcRecordParseStatus.Record), "no p but a valid rua: p=none");
    }

    [Test]
    public void NonAsciiValueIsASyntaxErrorAndFallsBackToTheDefault()
    {
        var record = Usable("v=DMARC1; p=reject; adkim=\u0455");

        Assert.That(record.DkimAlignment, Is.EqualTo(DmarcAlignmentMode.Relaxed));
    }

    [Test]
    public void GarbageNeverThrows()
    {
        foreach (var text in new[] { "", ";", "=", "v=", "v=DMARC1;=;==;a=;=b", "v=DMARC1; p=reject; \0", new string(';', 5000) })
        {
            Assert.DoesNotThrow(() => DmarcRecordParser.Parse(text, DmarcMode.Rfc9989), text);
        }
    }
}
