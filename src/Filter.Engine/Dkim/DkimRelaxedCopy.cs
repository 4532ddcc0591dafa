using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Filter.Engine.Dkim;

/// <summary>
/// The bulk path of relaxed body canonicalization (RFC 6376 §3.4.4): copies a stretch of body into the
/// hash staging buffer already canonical, one vector block at a time, with no per-line or per-run calls.
/// Per block it finds the bytes to drop (a WSP followed by WSP or by CRLF: a run is reduced to its last
/// WSP, and WSP at the end of a line goes), turns the kept TABs into SP, and stores the kept runs back to
/// back. A block is taken only up to its last content byte (not WSP, CR or LF), so every line break
/// copied is followed by content and cannot be a trailing empty line, and every decision about a WSP
/// sees the byte after it. It stops, leaving the rest to the streaming state machine, at what it does
/// not handle: a bare CR or bare LF, a block with no content (runs of empty lines), the end of the input.
/// </summary>
internal static class DkimRelaxedCopy
{
    /// <summary>Room the output needs beyond what one block writes: stores are whole vectors.</summary>
    public const int Slack = 64;

    /// <summary>
    /// Canonicalizes from <paramref name="input"/>[<paramref name="start"/>..], where the byte before
    /// start is content and nothing is pending, into <paramref name="output"/>. Returns where it stopped
    /// (again just after a content byte, or start itself when it could do nothing) and sets
    /// <paramref name="written"/>.
    /// </summary>
    public static int Copy(ReadOnlySpan<byte> input, int start, Span<byte> output, out int written)
    {
        written = 0;
        if (start < 1 || !Vector256.IsHardwareAccelerated && !Vector128.IsHardwareAccelerated)
        {
            return start;
        }

        return Vector256.IsHardwareAccelerated
            ? Copy256(input, start, output, ref written)
            : Copy128(input, start, output, ref written);
    }

    private static int Copy256(ReadOnlySpan<byte> input, int start, Span<byte> output, ref int written)
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        var p = start;
        var d = 0;

        // Loads reach p - 1 .. p + 32; stores reach d + 32 at most one block ahead of what is counted.
        var lastBlock = input.Length - Vector256<byte>.Count - 1;
        var lastStore = output.Length - Slack;
        while (p <= lastBlock && d <= lastStore)
        {
            var v = Vector256.LoadUnsafe(ref src, (nuint)p);
            var isTab = Vector256.Equals(v, tab);
            var isCr = Vector256.Equals(v, cr);
            var isLf = Vector256.Equals(v, lf);
            var isWsp = Vector256.Equals(v, sp) | isTab;
            var content = ~(isWsp | isCr | isLf).ExtractMostSignificantBits();
            if (content == 0)
            {
                break;
            }

            // Only the block up to its last content byte is taken; everything the decisions below
            // look at (the byte after a WSP or CR, the byte before an LF) is then inside the input.
            var last = 31 - BitOperations.LeadingZeroCount(content);
            var taken = (uint)((2UL << last) - 1);
            var next = Vector256.LoadUnsafe(ref src, (nuint)(p + 1));
            var prev = Vector256.LoadUnsafe(ref src, (nuint)(p - 1));
            var nextLf = Vector256.Equals(next, lf);
            var nextCr = Vector256.Equals(next, cr);
            var nextWsp = Vector256.Equals(next, sp) | Vector256.Equals(next, tab);
            var bare = (isCr & ~nextLf) | (isLf & ~Vector256.Equals(prev, cr));
            if ((bare.ExtractMostSignificantBits() & taken) != 0)
            {
                // A bare CR is content and a bare LF a line end: the state machine knows both.
                break;
            }

            // A CR taken here is followed by LF, so WSP before it is trailing WSP.
            var keep = taken & ~(isWsp & (nextWsp | nextCr)).ExtractMostSignificantBits();
            if (keep == taken)
            {
                Vector256.ConditionalSelect(isTab, sp, v).StoreUnsafe(ref dst, (nuint)d);
                d += last + 1;
            }
            else
            {
                d = StoreRuns256(ref src, input.Length, p, keep, ref dst, d);
            }

            p += last + 1;
        }

        written = d;
        return p;
    }

    /// <summary>Stores each run of kept bytes (set bits of <paramref name="keep"/>) back to back, TAB as SP.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int StoreRuns256(ref byte src, int length, int p, uint keep, ref byte dst, int d)
    {
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        while (keep != 0)
        {
            var s = BitOperations.TrailingZeroCount(keep);
            var run = BitOperations.TrailingZeroCount(~(keep >> s));
            if (p + s + Vector256<byte>.Count <= length)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)(p + s));
                Vector256.ConditionalSelect(Vector256.Equals(v, tab), sp, v).StoreUnsafe(ref dst, (nuint)d);
                d += run;
            }
            else
            {
                // Near the end of the input a whole vector would read past it.
                for (var k = p + s; k < p + s + run; k++)
                {
                    var b = Unsafe.Add(ref src, k);
                    Unsafe.Add(ref dst, d++) = b == (byte)'\t' ? (byte)' ' : b;
                }
            }

            // Clears the lowest run of set bits (the carry runs through it).
            keep &= keep + (keep & (0u - keep));
        }

        return d;
    }

    private static int Copy128(ReadOnlySpan<byte> input, int start, Span<byte> output, ref int written)
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var sp = Vector128.Create((byte)' ');
        var tab = Vector128.Create((byte)'\t');
        var cr = Vector128.Create((byte)'\r');
        var lf = Vector128.Create((byte)'\n');
        var p = start;
        var d = 0;
        var lastBlock = input.Length - Vector128<byte>.Count - 1;
        var lastStore = output.Length - Slack;
        while (p <= lastBlock && d <= lastStore)
        {
            var v = Vector128.LoadUnsafe(ref src, (nuint)p);
            var isTab = Vector128.Equals(v, tab);
            var isCr = Vector128.Equals(v, cr);
            var isLf = Vector128.Equals(v, lf);
            var isWsp = Vector128.Equals(v, sp) | isTab;
            var content = ~(isWsp | isCr | isLf).ExtractMostSignificantBits() & 0xFFFFu;
            if (content == 0)
            {
                break;
            }

            var last = 31 - BitOperations.LeadingZeroCount(content);
            var taken = (uint)((2UL << last) - 1);
            var next = Vector128.LoadUnsafe(ref src, (nuint)(p + 1));
            var prev = Vector128.LoadUnsafe(ref src, (nuint)(p - 1));
            var nextLf = Vector128.Equals(next, lf);
            var nextCr = Vector128.Equals(next, cr);
            var nextWsp = Vector128.Equals(next, sp) | Vector128.Equals(next, tab);
            var bare = (isCr & ~nextLf) | (isLf & ~Vector128.Equals(prev, cr));
            if ((bare.ExtractMostSignificantBits() & taken) != 0)
            {
                break;
            }

            var keep = taken & ~(isWsp & (nextWsp | nextCr)).ExtractMostSignificantBits();
            if (keep == taken)
            {
                Vector128.ConditionalSelect(isTab, sp, v).StoreUnsafe(ref dst, (nuint)d);
                d += last + 1;
            }
            else
            {
                d = StoreRuns128(ref src, input.Length, p, keep, ref dst, d);
            }

            p += last + 1;
        }

        written = d;
        return p;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int StoreRuns128(ref byte src, int length, int p, uint keep, ref byte dst, int d)
    {
        var sp = Vector128.Create((byte)' ');
        var tab = Vector128.Create((byte)'\t');
        while (keep != 0)
        {
            var s = BitOperations.TrailingZeroCount(keep);
            var run = BitOperations.TrailingZeroCount(~(keep >> s));
            if (p + s + Vector128<byte>.Count <= length)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)(p + s));
                Vector128.ConditionalSelect(Vector128.Equals(v, tab), sp, v).StoreUnsafe(ref dst, (nuint)d);
                d += run;
            }
            else
            {
                // Near the end of the input a whole vector would read past it.
                for (var k = p + s; k < p + s + run; k++)
                {
                    var b = Unsafe.Add(ref src, k);
                    Unsafe.Add(ref dst, d++) = b == (byte)'\t' ? (byte)' ' : b;
                }
            }
            keep &= keep + (keep & (0u - keep));
        }

        return d;
    }
}
