using Filter.Engine.Dmarc;

namespace Filter.Engine.Tests.Dmarc;

/// <summary>The PSL algorithm on a small list (the vendored vectors run in Filter.Conformance.Tests/Psl).</summary>
public sealed class PublicSuffixListTests
{
    private const string List = """
        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        *.ck
        !www.ck
        公司.cn
        cn
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        blogspot.com
        // ===END PRIVATE DOMAINS===
        """;

    private static PublicSuffixList Load(bool includePrivate = true) => PublicSuffixList.Load(new StringReader(List), includePrivate);

    [TestCase("a.b.example.co.uk", "example.co.uk")]
    [TestCase("co.uk", null)]
    [TestCase("a.b.ck", "a.b.ck")]
    [TestCase("b.ck", null)]
    [TestCase("www.ck", "www.ck")]
    [TestCase("a.www.ck", "www.ck")]
    [TestCase("x.example.unlisted", "example.unlisted")]
    [TestCase("me.blogspot.com", "me.blogspot.com")]
    [TestCase("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    public void RegistrableDomain_Rfc7489Section3_2(string domain, string? expected) =>
        Assert.That(Load().GetRegistrableDomain(domain), Is.EqualTo(expected));

    [Test]
    public void PrivateSectionCanBeLeftOut() =>
        Assert.That(Load(includePrivate: false).GetRegistrableDomain("me.blogspot.com"), Is.EqualTo("blogspot.com"));

    [Test]
    public void ListIsReadFromAFilePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psl-{Guid.NewGuid():N}.dat");
        File.WriteAllText(path, List);
        try
        {
            var options = new DmarcOptions { Mode = DmarcMode.Rfc7489, PublicSuffixListPath = path };
            var discovery = OrganizationalDomainDiscovery.Create(options);

            Assert.That(discovery, Is.InstanceOf<PublicSuffixListDiscovery>());
            Assert.That(PublicSuffixList.Load(path).RuleCount, Is.EqualTo(8));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void EmbeddedSnapshotLoads() =>
        Assert.That(PublicSuffixList.Embedded.GetRegistrableDomain("www.example.co.uk"), Is.EqualTo("example.co.uk"));
}
