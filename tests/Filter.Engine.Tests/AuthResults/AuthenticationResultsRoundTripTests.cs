using System.Text;
using Filter.Engine.AuthResults;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>
/// Property-style: for many generated models, whatever the formatter writes parses back to the
/// same model, strictly conforming (no tolerated deviation), within the RFC 5322 line limits.
/// Seeded, so a failure names a reproducible case.
/// </summary>
public sealed class AuthenticationResultsRoundTripTests
{
    private static readonly string[] s_ids =
        ["mx.example.com", "MX.Example.COM", "mx01.mail.example.net", "a", "relay host", "user@host.example", "smtp.é.example", "x\"y\\z", "1"];

    private static readonly string[] s_methods = ["spf", "dkim", "dmarc", "arc", "iprev", "auth", "dkim-atps", "compauth", "dara", "x-custom", "none", "reason"];

    private static readonly string[] s_results = ["pass", "fail", "none", "softfail", "neutral", "policy", "temperror", "permerror", "bestguesspass", "hardfail"];

    private static readonly string[] s_types = ["smtp", "header", "body", "policy", "dns", "x-ptype", "reason"];

    private static readonly string[] s_values =
    [
        "example.com", "user@example.com", "@example.com", "\"john doe\"@example.com", "first.last+tag@sub.example.com", "192.0.2.1",
        "2001:db8::1", "ab/cd+ef==", "AbCdEfGh", "", " ", "a;b", "say \"hi\"", "back\\slash", "(paren)", "münchen.example", "user@localhost",
        "tab\there", "multiple   spaces", " leading", "trailing ", "=", "@", "\"", "日本語.jp",
    ];

    private const string TextChars = "abcxyz ABC 0123 .-_@;:=/\\\"()<>,[]?\téü日";

    private static string RandomText(Random random, int maxLength)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            builder.Append(TextChars[random.Next(TextChars.Length)]);
        }

        return builder.ToString();
    }

    private static string RandomKeyword(Random random)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz0123456789-";
        var length = random.Next(1, 16);
        var builder = new StringBuilder();
        for (var i = 0; i < length - 1; i++)
        {
            builder.Append(chars[random.Next(chars.Length)]);
        }

        builder.Append(chars[random.Next(chars.Length - 1)]);
        return builder.ToString();
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string[] RandomComments(Random random, int maxLength) =>
        [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => RandomText(random, maxLength))];

    internal static AuthenticationResults RandomHeader(Random random, int maxTextLength)
    {
        var results = new List<MethodResult>();
        var count = random.Next(0, 6);
        for (var r = 0; r < count; r++)
        {
            Assert.That(AuthMethod.TryCreate(random.Next(4) == 0 ? RandomKeyword(random) : Pick(random, s_methods), out var method), Is.True);
            Assert.That(AuthResultWord.TryCreate(random.Next(5) == 0 ? RandomKeyword(random) : Pick(random, s_results), out var word), Is.True);
            var properties = new List<AuthProperty>();
            for (var p = random.Next(0, 7); p > 0; p--)
            {
                Assert.That(PropertyType.TryCreate(random.Next(5) == 0 ? RandomKeyword(random) : Pick(random, s_types), out var type), Is.True);
                var value = random.Next(3) == 0 ? RandomText(random, maxTextLength) : Pick(random, s_values);
                properties.Add(new AuthProperty(type, RandomKeyword(random), value) { Comments = RandomComments(random, maxTextLength) });
            }

            results.Add(new MethodResult(method, word)
            {
                MethodVersion = random.Next(4) == 0 ? random.Next(1, 3) : null,
                Reason = random.Next(2) == 0 ? RandomText(random, maxTextLength) : null,
                Properties = properties,
                Comments = RandomComments(random, maxTextLength),
            });
        }

        return new AuthenticationResults(Pick(random, s_ids))
        {
            Version = random.Next(3) == 0 ? 1 : null,
            Comments = RandomComments(random, maxTextLength),
            Results = results,
        };
    }

    private static void AssertRoundTrip(AuthenticationResults header, int seed, int maxColumns)
    {
        var text = AuthenticationResultsFormatter.Write(header);
        var parsed = AuthenticationResultsParser.Parse(text);
        Assert.That(parsed.IsSuccess, Is.True, $"seed {seed}: {parsed} in <{text}>");
        Assert.That(parsed.Header, Is.EqualTo(header), $"seed {seed}: <{text}>");
        Assert.That(parsed.Deviations, Is.EqualTo(AuthResultsDeviations.None), $"seed {seed}: <{text}>");
        foreach (var line in ("Authentication-Results: " + text).Split("\r\n"))
        {
            Assert.That(AuthResultsSyntax.Utf8Length(line), Is.LessThanOrEqualTo(maxColumns), $"seed {seed}: line <{line}>");
            Assert.That(line.Trim(), Is.Not.Empty, $"seed {seed}: white-space-only line");
        }
    }

    [Test]
    public void ShortValuesRoundTripWithinSeventyEightColumns()
    {
        // Texts of at most 12 characters: every unbreakable piece is short, so every line must fit 78
        // columns (counted in octets, which is stricter for non-ASCII).
        for (var seed = 0; seed < 5000; seed++)
        {
            AssertRoundTrip(RandomHeader(new Random(seed), maxTextLength: 12), seed, AuthenticationResultsFormatter.FoldColumn);
        }
    }

    [Test]
    public void LongValuesRoundTripWithin998Octets()
    {
        for (var seed = 100_000; seed < 101_000; seed++)
        {
            AssertRoundTrip(RandomHeader(new Random(seed), maxTextLength: AuthResultsSyntax.MaxTextLength), seed,
                AuthenticationResultsFormatter.MaxLineOctets);
        }
    }

    [Test]
    public void ParsedRealWorldHeadersRewriteToTheSameModel()
    {
        // Parse → write → parse is stable even for headers that needed leniency on the way in
        // (the rewritten form is strict RFC 8601, except the bare parameters it must keep).
        string[] headers =
        [
            " mx.google.com;\r\n       dkim=pass header.i=@example.org header.s=20230601 header.b=Qx3u/9+K;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org",
            " mx4.fastmail.example; dkim=pass (2048-bit rsa key sha256) header.d=example.com x-bits=2048; dmarc=pass policy.applied-disposition=none (p=none,d=none)",
            " atlas.yahoo.example; dkim=pass header.i=@example.com header.s=s2048; dmarc=pass(p=REJECT) header.from=example.com;",
            " foo.example.net (foobar) 1 (baz);\r\n    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n      policy (A dot can go here) . (like that) expired\r\n      (this surprised me) = (as I wasn't expecting it) 1362471462",
        ];
        foreach (var header in headers)
        {
            var first = AuthResultsModel.Parse(header);
            var second = AuthResultsModel.Parse(AuthenticationResultsFormatter.Write(first));
            Assert.That(second, Is.EqualTo(first), header);
        }
    }
}
