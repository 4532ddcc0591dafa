using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Conformance.Tests.Dkim;

/// <summary>
/// One case per row of Data/dkim/manifest.tsv: the row's message is verified with DNS from the row's
/// zone file, and the result of the row's signature is compared with the modern (RFC 6376 + RFC 8301 +
/// RFC 8463) expectation. Rows where this verifier deliberately answers otherwise are listed in
/// <see cref="Deviations"/> with the reason; a deviation that stops being one fails the test, so the
/// table stays honest.
/// </summary>
[TestFixture]
public sealed class DkimManifestTests
{
    private const string RsaSha1Policy =
        "rsa-sha1 gives policy, not permerror: the issue asks for RFC 8301 refusals as 'policy' with a reason "
        + "(RFC 8601 §2.7.1: signed, but not acceptable to the ADMD); refused before any key lookup, so no other "
        + "check (key, body hash, t=s) runs";

    private const string ExpiredIsFail =
        "x= in the past gives fail, not permerror: the issue asks for 'x= expired = fail' (RFC 6376 §6.1.1 leaves "
        + "the word to the verifier: 'PERMFAIL (signature expired)')";

    /// <summary>Rows whose result we choose on purpose to differ from the manifest's expected column.</summary>
    private static readonly Dictionary<(string Message, int Signature), (DkimResultCode Result, string Reason)> Deviations = new()
    {
        [("mail-dkim/corpus/bad_1878954.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_8.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_9.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_10.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_12.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_13.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_14.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/badkey_15.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_1878523.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_qp_1.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_qp_2.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_qp_3.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_rfc4871_3.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/good_rfc4871_4.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/goodkey_1.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/goodkey_2.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/goodkey_3.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/goodkey_4.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/multiple_2.txt", 2)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/multiple_2.txt", 3)] = (DkimResultCode.Policy, RsaSha1Policy),
        [("mail-dkim/corpus/ignore_7.txt", 1)] = (DkimResultCode.Policy, RsaSha1Policy + "; " + ExpiredIsFail + ", but a=rsa-sha1 is refused first"),
    };

    private static readonly Dictionary<string, DnsZone> Zones = [];

    private static string DataPath(string relative) => Path.Combine(AppContext.BaseDirectory, "Data", "dkim", relative);

    public static IEnumerable<TestCaseData> Rows()
    {
        var lines = File.ReadAllLines(DataPath("manifest.tsv"));
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            yield return new TestCaseData(columns[0], columns[1], columns[2], columns[3], columns[6])
                .SetName($"{columns[0]} sig {columns[2]}");
        }
    }

    [TestCaseSource(nameof(Rows))]
    public async Task RowGetsItsExpectedResult(string message, string zoneFile, string signature, string expected, string notes)
    {
        var verifier = new DkimVerifier(new ZoneResolver(Zone(zoneFile)));
        await using var stream = File.OpenRead(DataPath(message));
        // bad_1878954.txt has LF line endings: the verifier reads bare LF as CRLF, so no conversion is needed.
        var results = await verifier.VerifyAsync(stream, CancellationToken.None);

        if (signature == "-")
        {
            Assert.That(results.Single().Code, Is.EqualTo(DkimResultCode.None), notes);
            return;
        }

        var index = int.Parse(signature, System.Globalization.CultureInfo.InvariantCulture);
        var result = results[index - 1];
        var allowed = expected.Split('|').Select(ParseWord).ToList();
        if (Deviations.TryGetValue((message, index), out var deviation))
        {
            Assert.Multiple(() =>
            {
                Assert.That(result.Code, Is.EqualTo(deviation.Result), $"{deviation.Reason}; our reason: {result.Reason}");
                Assert.That(allowed, Does.Not.Contain(deviation.Result), "listed as a deviation but now agrees with the manifest");
            });
            return;
        }

        Assert.That(allowed, Does.Contain(result.Code), $"{notes}; our reason: {result.Reason}");
    }

    [Test]
    public void EveryDeviationNamesARealRow()
    {
        var rows = Rows().Select(r => ((string)r.Arguments[0]!, (string)r.Arguments[2]!)).ToHashSet();
        foreach (var (message, signature) in Deviations.Keys)
        {
            Assert.That(rows, Does.Contain((message, signature.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    private static DkimResultCode ParseWord(string word) => word switch
    {
        "none" => DkimResultCode.None,
        "pass" => DkimResultCode.Pass,
        "fail" => DkimResultCode.Fail,
        "neutral" => DkimResultCode.Neutral,
        "policy" => DkimResultCode.Policy,
        "temperror" => DkimResultCode.TempError,
        "permerror" => DkimResultCode.PermError,
        _ => throw new ArgumentOutOfRangeException(nameof(word), word, "not an RFC 8601 DKIM result"),
    };

    private static DnsZone Zone(string zoneFile)
    {
        lock (Zones)
        {
            if (!Zones.TryGetValue(zoneFile, out var zone))
            {
                zone = DkimConformanceZone.Load(DataPath(zoneFile));
                Zones.Add(zoneFile, zone);
            }

            return zone;
        }
    }
}
