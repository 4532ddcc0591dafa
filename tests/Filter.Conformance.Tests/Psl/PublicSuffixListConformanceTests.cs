using Filter.Engine.Dmarc;

namespace Filter.Conformance.Tests.Psl;

/// <summary>
/// Data/psl/psl-tests.txt (the list's own vectors, CC0) against the embedded snapshot that the RFC 7489
/// mode uses. Inputs are normalized to A-labels for the lookup; the answer keeps the input's
/// spelling (U-labels in, U-labels out), lower-cased, as the vectors expect.
/// </summary>
public sealed class PublicSuffixListConformanceTests
{
    public static IEnumerable<TestCaseData> Vectors()
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "psl", "psl-tests.txt")))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var input = parts[0] == "null" ? null : parts[0];
            var expected = parts[1] == "null" ? null : parts[1];
            yield return new TestCaseData(input, expected).SetName($"psl.line{lineNumber}.{parts[0]}");
        }
    }

    [TestCaseSource(nameof(Vectors))]
    public void RegistrableDomain(string? input, string? expected) =>
        Assert.That(RegistrableDomainAsWritten(PublicSuffixList.Embedded, input), Is.EqualTo(expected));

    [Test]
    public void EmbeddedSnapshotHasEveryRuleOfTheVendoredList()
    {
        // Data/psl/README.md: 10,248 rules in the 2026-08-19 snapshot (the same file is embedded).
        Assert.That(PublicSuffixList.Embedded.RuleCount, Is.EqualTo(10_248));
    }

    /// <summary>The harness rules of Data/psl/README.md: null, empty or leading-dot input gives null.</summary>
    private static string? RegistrableDomainAsWritten(PublicSuffixList list, string? input)
    {
        if (string.IsNullOrEmpty(input) || input.StartsWith('.'))
        {
            return null;
        }

        if (!DmarcDomainName.TryNormalize(input, out var aLabels, out _))
        {
            return null;
        }

        var registrable = list.GetRegistrableDomain(aLabels);
        if (registrable is null)
        {
            return null;
        }

        // Same number of labels in either spelling: take them from the input as written.
        return DmarcDomainName.LastLabels(input.ToLowerInvariant(), DmarcDomainName.CountLabels(registrable));
    }
}
