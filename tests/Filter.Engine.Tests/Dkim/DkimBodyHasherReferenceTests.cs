using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// The streaming hasher (vector scan, bulk hashing of clean text) against <see cref="ReferenceBodyCanonicalizer"/>
/// over random bodies cut into random chunks, so that chunk ends fall inside WSP runs, between CR and LF,
/// between WSP and CRLF, inside long lines and among trailing empty lines.
/// </summary>
[TestFixture]
public sealed class DkimBodyHasherReferenceTests
{
    private static readonly byte[][] Pieces =
    [
        "a"u8.ToArray(), "word"u8.ToArray(), " "u8.ToArray(), "  "u8.ToArray(), "\t"u8.ToArray(), " \t "u8.ToArray(),
        "\r\n"u8.ToArray(), "\r\n"u8.ToArray(), "\n"u8.ToArray(), "\r"u8.ToArray(), " \r\n"u8.ToArray(), "\t\r\n"u8.ToArray(),
        "\r\n\r\n"u8.ToArray(), "x y"u8.ToArray(), "\u00e9"u8.ToArray(),
    ];

    [Test]
    public void RandomBodiesInRandomChunksMatchTheReference([Values] DkimCanonicalization canonicalization)
    {
        var random = new Random(6376);
        for (var round = 0; round < 3000; round++)
        {
            var body = RandomBody(random, random.Next(0, 400));
            AssertMatches(body, canonicalization, RandomCuts(random, body.Length), $"round {round}");
        }
    }

    [Test]
    public void LongLinesAndLongRunsInRandomChunksMatchTheReference([Values] DkimCanonicalization canonicalization)
    {
        var random = new Random(8463);
        for (var round = 0; round < 200; round++)
        {
            var body = new List<byte>();
            var lines = random.Next(1, 6);
            for (var l = 0; l < lines; l++)
            {
                // Lines longer than the hasher's buffer and vector width, with runs of every kind.
                var length = random.Next(0, 40_000);
                for (var i = 0; i < length; i++)
                {
                    var r = random.Next(100);
                    body.Add(r < 80 ? (byte)('a' + (r % 26)) : r < 95 ? (byte)' ' : r < 98 ? (byte)'\t' : (byte)'\r');
                }

                body.AddRange(random.Next(3) == 0 ? "  \t \r\n"u8.ToArray() : "\r\n"u8.ToArray());
            }

            for (var e = random.Next(0, 5); e > 0; e--)
            {
                body.AddRange(random.Next(2) == 0 ? "\r\n"u8.ToArray() : " \t\r\n"u8.ToArray());
            }

            byte[] bytes = [.. body];
            AssertMatches(bytes, canonicalization, RandomCuts(random, bytes.Length), $"round {round}");
        }
    }

    [Test]
    public void MostlyCleanTextInRandomChunksMatchesTheReference([Values] DkimCanonicalization canonicalization)
    {
        // CRLF text like real mail, so that the bulk paths (vector block copy, direct hashing) carry most
        // of it: runs of every kind inside and at the end of lines, blank and whitespace-only lines,
        // leading WSP, and now and then a bare CR or bare LF that sends the work back to the state machine.
        var random = new Random(6376_8463);
        string[] words = ["a", "word", "longerword", "\u00e9t\u00e9", "x", "0123456789abcdef0123456789"];
        string[] gaps = [" ", " ", " ", " ", "  ", "\t", " \t", "   \t  "];
        for (var round = 0; round < 1500; round++)
        {
            var text = new StringBuilder();
            var lines = random.Next(0, 60);
            for (var l = 0; l < lines; l++)
            {
                var kind = random.Next(20);
                if (kind == 0)
                {
                    text.Append("\r\n");
                    continue;
                }

                if (kind == 1)
                {
                    text.Append(gaps[random.Next(gaps.Length)]).Append("\r\n");
                    continue;
                }

                if (kind == 2)
                {
                    text.Append(gaps[random.Next(gaps.Length)]);
                }

                for (var w = random.Next(1, 14); w > 0; w--)
                {
                    text.Append(words[random.Next(words.Length)]);
                    if (w > 1)
                    {
                        text.Append(gaps[random.Next(gaps.Length)]);
                    }
                }

                var end = random.Next(40);
                text.Append(end switch
                {
                    0 => "\n",
                    1 => "\r",
                    2 => " \n",
                    3 => "\r\r\n",
                    < 8 => gaps[random.Next(gaps.Length)] + "\r\n",
                    _ => "\r\n",
                });
            }

            for (var e = random.Next(0, 4); e > 0; e--)
            {
                text.Append(random.Next(3) == 0 ? " \r\n" : "\r\n");
            }

            var body = Encoding.UTF8.GetBytes(text.ToString());
            AssertMatches(body, canonicalization, [], $"round {round} whole");
            AssertMatches(body, canonicalization, RandomCuts(random, body.Length), $"round {round}");
        }
    }

    [Test]
    public void LongCleanStretchesWithRareChangesMatchTheReference([Values] DkimCanonicalization canonicalization)
    {
        // Base64-like lines with nothing to rewrite for kilobytes (hashed in place), then one change
        // (a run, a TAB, trailing WSP, a bare CR or LF, blank lines), so every hand-over is crossed.
        var random = new Random(2045);
        string[] changes = ["a  b", "a\tb", "a \r\n", "a\n", "a\rb", "\r\n\r\n", " \t \r\n", "x"];
        for (var round = 0; round < 300; round++)
        {
            var text = new StringBuilder();
            for (var part = random.Next(1, 8); part > 0; part--)
            {
                for (var line = random.Next(0, 120); line > 0; line--)
                {
                    for (var c = random.Next(1, 77); c > 0; c--)
                    {
                        text.Append((char)('A' + random.Next(26)));
                    }

                    text.Append("\r\n");
                }

                text.Append(changes[random.Next(changes.Length)]);
            }

            for (var e = random.Next(0, 3); e > 0; e--)
            {
                text.Append("\r\n");
            }

            var body = Encoding.ASCII.GetBytes(text.ToString());
            AssertMatches(body, canonicalization, [], $"round {round} whole");
            AssertMatches(body, canonicalization, RandomCuts(random, body.Length), $"round {round}");
        }
    }

    [Test]
    public void SmallAlphabetBodiesMatchTheReference([Values] DkimCanonicalization canonicalization)
    {
        // Every neighbourhood of content, SP, TAB, CR and LF, at every offset within vector blocks.
        var random = new Random(5322);
        string[] alphabet = ["a", "a", "a", "a", "a", " ", " ", "\t", "\r\n", "\r\n"];
        for (var round = 0; round < 20_000; round++)
        {
            var text = new StringBuilder();
            for (var length = random.Next(0, 160); text.Length < length;)
            {
                var r = random.Next(100);
                text.Append(r == 0 ? "\r" : r == 1 ? "\n" : alphabet[r % alphabet.Length]);
            }

            var body = Encoding.ASCII.GetBytes(text.ToString());
            AssertMatches(body, canonicalization, round % 2 == 0 ? [] : RandomCuts(random, body.Length), $"round {round}");
        }
    }

    [TestCase("abc  ", TestName = "chunk ends inside a trailing WSP run")]
    [TestCase("a \t  b\r\n", TestName = "chunk ends inside an inner WSP run")]
    [TestCase("a\r", TestName = "CR at chunk end then LF")]
    [TestCase("a \r\n", TestName = "WSP before CRLF split across chunks")]
    [TestCase(" \t \r\n\t\r\n", TestName = "lines of only whitespace")]
    [TestCase("x\r\n\r\n \r\n\r\n", TestName = "trailing empty lines across chunks")]
    [TestCase("x\r\n\r\n \r\ny", TestName = "inner empty and blank lines across chunks")]
    [TestCase(" lead\r\n  lead2 \r\n", TestName = "leading WSP kept as one SP")]
    public void EveryCutOfAnEdgeMatchesTheReference(string text)
    {
        // The edge, repeated so it also sits at vector boundaries, cut at every pair of points.
        var body = Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat(text, 3)) + text.TrimEnd('\r', '\n', ' ', '\t') + text);
        foreach (var canonicalization in new[] { DkimCanonicalization.Simple, DkimCanonicalization.Relaxed })
        {
            for (var first = 0; first <= body.Length; first++)
            {
                for (var second = first; second <= body.Length; second++)
                {
                    AssertMatches(body, canonicalization, [first, second], $"{canonicalization} cut at {first} and {second}");
                }
            }
        }
    }

    [Test]
    public void TextAroundTheVectorWidthMatchesTheReference([Values] DkimCanonicalization canonicalization)
    {
        // Stops placed at every offset around 16, 32 and 64 bytes, where the scan switches loops.
        for (var length = 0; length < 100; length++)
        {
            foreach (var stop in new[] { "  ", " \r\n", "\t", "\r\n", " \n", " " })
            {
                var body = Encoding.Latin1.GetBytes(new string('q', length) + stop + "z");
                AssertMatches(body, canonicalization, [], $"{length} + {stop.Replace("\r", "CR", StringComparison.Ordinal).Replace("\n", "LF", StringComparison.Ordinal)}");
            }
        }
    }

    private static void AssertMatches(byte[] body, DkimCanonicalization canonicalization, int[] cuts, string context)
    {
        var canonical = ReferenceBodyCanonicalizer.Canonicalize(body, canonicalization);
        using var hasher = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null);
        var from = 0;
        foreach (var cut in cuts)
        {
            hasher.Append(body.AsSpan(from, cut - from));
            from = cut;
        }

        hasher.Append(body.AsSpan(from));
        var hash = hasher.Finish();
        if (!hash.AsSpan().SequenceEqual(SHA256.HashData(canonical)) || hasher.CanonicalLength != canonical.Length)
        {
            Assert.Fail($"{context}: body {Convert.ToHexString(body)} cut at [{string.Join(',', cuts)}] gave {hasher.CanonicalLength} canonical bytes, the reference {canonical.Length}");
        }
    }

    private static byte[] RandomBody(Random random, int pieces)
    {
        var body = new List<byte>();
        for (var i = 0; i < pieces; i++)
        {
            body.AddRange(Pieces[random.Next(Pieces.Length)]);
        }

        return [.. body];
    }

    private static int[] RandomCuts(Random random, int length)
    {
        var count = random.Next(0, 12);
        var cuts = new int[count];
        for (var i = 0; i < count; i++)
        {
            cuts[i] = random.Next(0, length + 1);
        }

        Array.Sort(cuts);
        return cuts;
    }
}
