using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// The pieces of the relaxed bulk path (<see cref="DkimRelaxedCopy"/>) against byte-at-a-time
/// definitions: the block masks (the machine's path and the 128-bit path, whichever this machine
/// would not take), the shuffle packing, and Copy (its AVX2 loop and its portable loop, each held to
/// the reference and to each other) / CleanLength stopping just after a content byte with exactly the
/// relaxed form of what they took.
/// </summary>
[TestFixture]
public sealed class DkimRelaxedCopyTests
{
    private static readonly byte[] Alphabet = "aaaa  \t\r\n\r\n"u8.ToArray();

    [Test]
    public void BlockMasksMatchTheirDefinitionOnBothVectorWidths()
    {
        var random = new Random(3443);
        var input = new byte[34];
        for (var round = 0; round < 20_000; round++)
        {
            FillRandom(random, input);
            ref var src = ref input[0];
            DkimRelaxedCopy.Classify(ref src, 1, out var content, out var bare, out var drop, out var tabs, out var low, out var high);
            DkimRelaxedCopy.Classify16(ref src, 1, out var content0, out var bare0, out var drop0, out var tabs0, out var low16);
            DkimRelaxedCopy.Classify16(ref src, 17, out var content1, out var bare1, out var drop1, out var tabs1, out var high16);
            var expected = ExpectedMasks(input);
            Assert.Multiple(() =>
            {
                Assert.That((content, bare, drop, tabs), Is.EqualTo(expected), $"round {round}");
                Assert.That((content0 | (content1 << 16), bare0 | (bare1 << 16), drop0 | (drop1 << 16), tabs0 | (tabs1 << 16)), Is.EqualTo(expected), $"round {round}, 128-bit");
                Assert.That(Concat(low, high), Is.EqualTo(Canonical(input)), $"round {round}");
                Assert.That(Concat(low16, high16), Is.EqualTo(Canonical(input)), $"round {round}, 128-bit");
            });
        }
    }

    [Test]
    public void PackStoresTheKeptBytesInOrder()
    {
        var random = new Random(8301);
        var source = new byte[16];
        var output = new byte[32];
        for (var round = 0; round < 5_000; round++)
        {
            random.NextBytes(source);
            var keep = (uint)random.Next(0, 0x10000);
            var start = random.Next(0, 8);
            var end = DkimRelaxedCopy.Pack(Vector128.Create(source), keep, ref output[0], start);
            var expected = new List<byte>();
            for (var i = 0; i < 16; i++)
            {
                if ((keep & (1u << i)) != 0)
                {
                    expected.Add(source[i]);
                }
            }

            Assert.That(output[start..end], Is.EqualTo(expected.ToArray()), $"round {round}, keep {keep:x4}");
        }
    }

    [Test]
    public void CopyStopsAfterContentWithTheRelaxedFormOfWhatItTook([Values("machine", "avx2", "portable")] string loop)
    {
        // Inputs start with a content byte (the precondition); everything up to the stop, with a CRLF
        // added, must be the relaxed canonical form of the same prefix.
        Assume.That(loop != "avx2" || Avx2.IsSupported, "this machine has no AVX2: the AVX2 loop cannot run here");
        var random = new Random(6376);
        var output = new byte[4096];
        var took = 0;
        for (var round = 0; round < 5_000; round++)
        {
            var input = new byte[random.Next(2, 400)];
            FillRandom(random, input, cleanShare: random.Next(0, 4));
            input[0] = (byte)'x';
            var written = 0;
            var stop = loop switch
            {
                "avx2" => DkimRelaxedCopy.CopyAvx2(input, 1, output, out written),
                "portable" => DkimRelaxedCopy.CopyPortable(input, 1, output, out written),
                _ => DkimRelaxedCopy.Copy(input, 1, output, out written),
            };
            Assert.That(stop, Is.InRange(1, input.Length), $"round {round}");
            if (stop == 1)
            {
                Assert.That(written, Is.Zero);
                continue;
            }

            took++;
            byte[] actual = [(byte)'x', .. output.AsSpan(0, written), (byte)'\r', (byte)'\n'];
            Assert.Multiple(() =>
            {
                Assert.That(IsContent(input[stop - 1]), Is.True, $"round {round}: stopped after a non-content byte");
                Assert.That(actual, Is.EqualTo(ReferenceBodyCanonicalizer.Canonicalize(input[..stop], DkimCanonicalization.Relaxed)), $"round {round}");
            });
        }

        Assert.That(took, Is.GreaterThan(1_000), "too few rounds reached the block path");
    }

    [Test]
    public void AvxAndPortableLoopsStopAtTheSameByteWithTheSameOutput()
    {
        // The two loops must be interchangeable: same stop, same bytes, whatever the mix (long clean
        // stretches, dense WSP/CR/LF, any byte value, outputs that fill up mid-stretch).
        Assume.That(Avx2.IsSupported, "this machine has no AVX2: only the portable loop runs here");
        var random = new Random(8463);
        var fromAvx = new byte[2048];
        var fromPortable = new byte[2048];
        for (var round = 0; round < 5_000; round++)
        {
            var input = new byte[random.Next(2, 1200)];
            FillRandom(random, input, cleanShare: random.Next(0, 4));
            if (round % 4 == 0)
            {
                // Every byte value between the blanks (8-bit, NUL, bytes that share a low nibble with SP, TAB or CR).
                for (var i = 0; i < input.Length; i++)
                {
                    input[i] = random.Next(3) == 0 ? Alphabet[random.Next(Alphabet.Length)] : (byte)random.Next(256);
                }
            }

            input[0] = (byte)'x';
            var room = random.Next(DkimRelaxedCopy.Slack, fromAvx.Length + 1);
            var avxStop = DkimRelaxedCopy.CopyAvx2(input, 1, fromAvx.AsSpan(0, room), out var avxWritten);
            var portableStop = DkimRelaxedCopy.CopyPortable(input, 1, fromPortable.AsSpan(0, room), out var portableWritten);
            Assert.Multiple(() =>
            {
                Assert.That(avxStop, Is.EqualTo(portableStop), $"round {round}: stop");
                Assert.That(fromAvx[..avxWritten], Is.EqualTo(fromPortable[..portableWritten]), $"round {round}: output");
            });
        }
    }

    [Test]
    public void CleanLengthStopsAfterContentAtTheFirstChange()
    {
        var random = new Random(5322);
        for (var round = 0; round < 5_000; round++)
        {
            var input = new byte[random.Next(2, 400)];
            FillRandom(random, input, cleanShare: 3);
            input[0] = (byte)'x';
            var length = DkimRelaxedCopy.CleanLength(input, 1);
            var taken = input[..(1 + length)];
            Assert.Multiple(() =>
            {
                Assert.That(length == 0 || IsContent(input[length]), Is.True, $"round {round}: stopped after a non-content byte");
                byte[] withEnd = [.. taken, (byte)'\r', (byte)'\n'];
                Assert.That(ReferenceBodyCanonicalizer.Canonicalize(taken, DkimCanonicalization.Relaxed), Is.EqualTo(withEnd), $"round {round}: not canonical as it stands");
            });
        }
    }

    private static void FillRandom(Random random, byte[] input, int cleanShare = 0)
    {
        // cleanShare > 0 makes long stretches of words and single spaces (CRLF now and then), which
        // the block paths take, between the alphabet's dense mix of WSP, CR and LF.
        for (var i = 0; i < input.Length; i++)
        {
            var r = random.Next(100);
            input[i] = cleanShare > 0 && r < 90
                ? (r % 11 == 0 ? (byte)' ' : r == 89 && i + 1 < input.Length ? (byte)'\r' : (byte)'a')
                : Alphabet[random.Next(Alphabet.Length)];
            if (input[i] == (byte)'\r' && cleanShare > 0 && i + 1 < input.Length)
            {
                input[++i] = (byte)'\n';
            }
        }
    }

    private static (uint Content, uint Bare, uint Drop, uint Tabs) ExpectedMasks(byte[] input)
    {
        uint content = 0, bare = 0, drop = 0, tabs = 0;
        for (var i = 0; i < 32; i++)
        {
            var b = input[i + 1];
            var before = input[i];
            var after = input[i + 2];
            var bit = 1u << i;
            var wsp = b is (byte)' ' or (byte)'\t';
            content |= IsContent(b) ? bit : 0;
            bare |= (b == '\r' && after != '\n') || (b == '\n' && before != '\r') ? bit : 0;
            drop |= wsp && after is (byte)' ' or (byte)'\t' or (byte)'\r' ? bit : 0;
            tabs |= b == '\t' ? bit : 0;
        }

        return (content, bare, drop, tabs);
    }

    private static byte[] Canonical(byte[] input)
    {
        var result = input[1..33];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = result[i] == (byte)'\t' ? (byte)' ' : result[i];
        }

        return result;
    }

    private static byte[] Concat(Vector128<byte> low, Vector128<byte> high)
    {
        var bytes = new byte[32];
        low.CopyTo(bytes);
        high.CopyTo(bytes, 16);
        return bytes;
    }

    private static bool IsContent(byte b) => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');
}
