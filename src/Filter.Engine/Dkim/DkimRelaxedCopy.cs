using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Filter.Engine.Dkim;

/// <summary>
/// The bulk path of relaxed body canonicalization (RFC 6376 §3.4.4): copies a stretch of body into the
/// hash staging buffer already canonical, one vector block at a time, with no per-line or per-run calls.
/// Per block it finds, from the masks of WSP, CR and LF, the bytes to drop (a WSP followed by WSP or by CRLF: a run is reduced to its last
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

    private const int CleanBlocksBeforeReturn = 32;

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

    /// <summary>
    /// Length of the stretch from <paramref name="start"/> (just after a content byte, nothing pending)
    /// that relaxed canonicalization leaves exactly as it is: no TAB, no WSP run or trailing WSP, no
    /// bare CR or LF; it ends just after a content byte. Such a stretch is hashed from the caller's
    /// chunk without a copy. Zero without 256-bit vectors (then <see cref="Copy"/> does the work).
    /// </summary>
    public static int CleanLength(ReadOnlySpan<byte> input, int start)
    {
        if (start < 1 || !Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref var src = ref MemoryMarshal.GetReference(input);
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        var p = start;
        var lastBlock = input.Length - Vector256<byte>.Count;
        while (p <= lastBlock)
        {
            var v = Vector256.LoadUnsafe(ref src, (nuint)p);
            var tabs = Vector256.Equals(v, tab).ExtractMostSignificantBits();
            var wsp = Vector256.Equals(v, sp).ExtractMostSignificantBits() | tabs;
            var crs = Vector256.Equals(v, cr).ExtractMostSignificantBits();
            var lfs = Vector256.Equals(v, lf).ExtractMostSignificantBits();
            var content = ~(wsp | crs | lfs);

            // The same masks as in Copy; here TAB counts as a change too.
            var changes = (crs & ~(lfs >> 1)) | (lfs & ~(crs << 1)) | (wsp & ((wsp | crs) >> 1)) | tabs;
            if ((content & 0x8000_0000u) != 0 && changes == 0)
            {
                p += Vector256<byte>.Count;
                continue;
            }

            if (content == 0)
            {
                break;
            }

            var last = 31 - BitOperations.LeadingZeroCount(content);
            if ((changes & (uint)((2UL << last) - 1)) != 0)
            {
                break;
            }

            p += last + 1;
        }

        return p - start;
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

        // Stores reach at most one vector past what is counted, hence the slack.
        var lastBlock = input.Length - Vector256<byte>.Count;
        var lastStore = output.Length - Slack;
        var unchanged = 0;
        while (p <= lastBlock && d <= lastStore)
        {
            var v = Vector256.LoadUnsafe(ref src, (nuint)p);
            var isTab = Vector256.Equals(v, tab);
            var wsp = (Vector256.Equals(v, sp) | isTab).ExtractMostSignificantBits();
            var crs = Vector256.Equals(v, cr).ExtractMostSignificantBits();
            var lfs = Vector256.Equals(v, lf).ExtractMostSignificantBits();
            var content = ~(wsp | crs | lfs);
            var bare = (crs & ~(lfs >> 1)) | (lfs & ~(crs << 1));
            var drop = wsp & ((wsp | crs) >> 1);
            if ((content & 0x8000_0000u) != 0 && bare == 0)
            {
                // The common block: ending in content, so all of it is taken, CR and LF in pairs.
                // A constant stride, so the next load need not wait for this block's arithmetic.
                if (drop == 0)
                {
                    Vector256.ConditionalSelect(isTab, sp, v).StoreUnsafe(ref dst, (nuint)d);
                    d += Vector256<byte>.Count;
                    if (++unchanged == CleanBlocksBeforeReturn)
                    {
                        // A long stretch with nothing to rewrite: the caller hashes such stretches in place.
                        p += Vector256<byte>.Count;
                        break;
                    }
                }
                else
                {
                    d = StoreRuns256(ref src, input.Length, p, uint.MaxValue & ~drop, ref dst, d);
                    unchanged = 0;
                }

                p += Vector256<byte>.Count;
                continue;
            }

            if (content == 0)
            {
                break;
            }

            // Only the block up to its last content byte is taken, so the byte after any WSP or CR
            // taken, and the byte before any LF taken, are in the block (before the block's first
            // byte is a content byte: the caller's precondition, and where the previous block ended).
            var last = 31 - BitOperations.LeadingZeroCount(content);
            var taken = (uint)((2UL << last) - 1);

            // A bare CR is content and a bare LF a line end: the state machine knows both.
            if ((bare & taken) != 0)
            {
                break;
            }

            // WSP followed by WSP (the run keeps its last) or by CR, which is then part of a CRLF
            // (trailing WSP goes): the bytes dropped.
            var keep = taken & ~drop;
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

        // Stores reach at most one vector past what is counted, hence the slack.
        var lastBlock = input.Length - Vector128<byte>.Count;
        var lastStore = output.Length - Slack;
        var unchanged = 0;
        while (p <= lastBlock && d <= lastStore)
        {
            var v = Vector128.LoadUnsafe(ref src, (nuint)p);
            var isTab = Vector128.Equals(v, tab);
            var wsp = (Vector128.Equals(v, sp) | isTab).ExtractMostSignificantBits();
            var crs = Vector128.Equals(v, cr).ExtractMostSignificantBits();
            var lfs = Vector128.Equals(v, lf).ExtractMostSignificantBits();
            var content = ~(wsp | crs | lfs) & 0xFFFFu;
            var bare = (crs & ~(lfs >> 1)) | (lfs & ~(crs << 1));
            var drop = wsp & ((wsp | crs) >> 1);
            if ((content & 0x8000u) != 0 && bare == 0)
            {
                // The common block: ending in content, so all of it is taken, CR and LF in pairs.
                // A constant stride, so the next load need not wait for this block's arithmetic.
                if (drop == 0)
                {
                    Vector128.ConditionalSelect(isTab, sp, v).StoreUnsafe(ref dst, (nuint)d);
                    d += Vector128<byte>.Count;
                    if (++unchanged == CleanBlocksBeforeReturn)
                    {
                        // A long stretch with nothing to rewrite: the caller hashes such stretches in place.
                        p += Vector128<byte>.Count;
                        break;
                    }
                }
                else
                {
                    d = StoreRuns128(ref src, input.Length, p, 0xFFFFu & ~drop, ref dst, d);
                    unchanged = 0;
                }

                p += Vector128<byte>.Count;
                continue;
            }

            if (content == 0)
            {
                break;
            }

            // Only the block up to its last content byte is taken, so the byte after any WSP or CR
            // taken, and the byte before any LF taken, are in the block (before the block's first
            // byte is a content byte: the caller's precondition, and where the previous block ended).
            var last = 31 - BitOperations.LeadingZeroCount(content);
            var taken = (uint)((2UL << last) - 1);

            // A bare CR is content and a bare LF a line end: the state machine knows both.
            if ((bare & taken) != 0)
            {
                break;
            }

            // WSP followed by WSP (the run keeps its last) or by CR, which is then part of a CRLF
            // (trailing WSP goes): the bytes dropped.
            var keep = taken & ~drop;
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
