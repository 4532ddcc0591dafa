using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Filter.Engine.Dkim;

/// <summary>
/// The bulk path of relaxed body canonicalization (RFC 6376 §3.4.4): copies a stretch of body into the
/// hash staging buffer already canonical, 32 bytes at a time at a constant stride, with no per-line or
/// per-run calls. Each block is classified with the byte before and the byte after it in view (three
/// overlapping loads), so every decision is local: the bytes to drop (a WSP followed by WSP or by CRLF:
/// a run keeps its last WSP, WSP at the end of a line goes), bare CR and bare LF, content. The kept bytes
/// (TAB as SP) are packed with one byte shuffle per 8-byte group, its indices a row of a table by keep
/// mask, so a block costs the same however many runs it has (no loop over runs, no mispredicted exits).
/// The same classifier serves 256-bit and 128-bit vectors. It stops at what it does not handle — a bare CR or LF, a
/// block with no content (runs of empty lines), the end of the input — and then gives back the bytes
/// after the last content byte taken (CRLFs, a WSP before content not taken), so that it always ends
/// just after a content byte: every line break it wrote is followed by content and cannot be a
/// trailing empty line, and the streaming state machine takes over with nothing pending.
/// </summary>
internal static class DkimRelaxedCopy
{
    /// <summary>Room the output needs beyond what one block writes: stores are whole vectors.</summary>
    public const int Slack = 64;

    private const int BlockSize = 32;
    private const int CleanBlocksBeforeReturn = 32;

    /// <summary>For each 8-bit keep mask and each half of a 16-byte vector, the shuffle indices that gather the kept bytes to the front.</summary>
    private static readonly byte[] GatherIndices = BuildGatherIndices();

    /// <summary>
    /// Canonicalizes from <paramref name="input"/>[<paramref name="start"/>..], where the byte before
    /// start is content and nothing is pending, into <paramref name="output"/>. Returns where it stopped
    /// (again just after a content byte, or start itself when it could do nothing) and sets
    /// <paramref name="written"/>.
    /// </summary>
    public static int Copy(ReadOnlySpan<byte> input, int start, Span<byte> output, out int written)
    {
        written = 0;
        if (start < 1 || !Vector128.IsHardwareAccelerated)
        {
            return start;
        }

        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var p = start;
        var d = 0;

        // The look-ahead load reads one byte past the block; stores reach at most one block past d.
        var lastBlock = input.Length - BlockSize - 1;
        var lastStore = output.Length - Slack;
        var unchanged = 0;
        uint lastContent = 0;
        uint lastKeep = 0;
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        while (p <= lastBlock && d <= lastStore)
        {
            ClassifyWith(ref src, p, sp, tab, cr, lf, out var content, out var bare, out var drop, out _, out var low, out var high);
            if (bare != 0 || content == 0)
            {
                break;
            }

            if (drop == 0)
            {
                low.StoreUnsafe(ref dst, (nuint)d);
                high.StoreUnsafe(ref dst, (nuint)(d + Vector128<byte>.Count));
                d += BlockSize;
                p += BlockSize;
                lastContent = content;
                lastKeep = uint.MaxValue;
                if (++unchanged == CleanBlocksBeforeReturn)
                {
                    // A long stretch with nothing to rewrite: the caller hashes such stretches in place.
                    break;
                }

                continue;
            }

            var keep = ~drop;
            d = Pack(low, keep & 0xFFFF, ref dst, d);
            d = Pack(high, keep >> 16, ref dst, d);
            p += BlockSize;
            lastContent = content;
            lastKeep = keep;
            unchanged = 0;
        }

        if (lastContent != 0)
        {
            // Give back what follows the last block's last content byte: its fate depends on bytes not taken.
            var last = 31 - BitOperations.LeadingZeroCount(lastContent);
            var after = ~(uint)((2UL << last) - 1);
            p -= BlockSize - 1 - last;
            d -= BitOperations.PopCount(lastKeep & after);
        }

        written = d;
        return p;
    }

    /// <summary>
    /// Length of the stretch from <paramref name="start"/> (just after a content byte, nothing pending)
    /// that relaxed canonicalization leaves exactly as it is: no TAB, no WSP run or trailing WSP, no
    /// bare CR or LF; it ends just after a content byte. Such a stretch is hashed from the caller's
    /// chunk without a copy. Zero without vector support (then the state machine does the work).
    /// </summary>
    public static int CleanLength(ReadOnlySpan<byte> input, int start)
    {
        if (start < 1 || !Vector128.IsHardwareAccelerated)
        {
            return 0;
        }

        ref var src = ref MemoryMarshal.GetReference(input);
        var p = start;
        var lastBlock = input.Length - BlockSize - 1;
        uint lastContent = 0;
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        while (p <= lastBlock)
        {
            ClassifyWith(ref src, p, sp, tab, cr, lf, out var content, out var bare, out var drop, out var tabs, out _, out _);
            if ((bare | drop | tabs) != 0 || content == 0)
            {
                break;
            }

            lastContent = content;
            p += BlockSize;
        }

        if (lastContent != 0)
        {
            p -= BlockSize - 1 - (31 - BitOperations.LeadingZeroCount(lastContent));
        }

        return p - start;
    }

    /// <summary>
    /// The masks of one 32-byte block at <paramref name="p"/> (bit i for byte p + i), from the block and
    /// its neighbours one byte either side (p - 1 and p + 32 must be readable): content (not WSP, CR or
    /// LF), bare CR or LF, WSP to drop, TAB; and the block with TAB turned to SP, in two halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Classify(ref byte src, int p, out uint content, out uint bare, out uint drop, out uint tabs, out Vector128<byte> low, out Vector128<byte> high) =>
        ClassifyWith(ref src, p, Vector256.Create((byte)' '), Vector256.Create((byte)'\t'), Vector256.Create((byte)'\r'), Vector256.Create((byte)'\n'), out content, out bare, out drop, out tabs, out low, out high);

    /// <summary><see cref="Classify"/> with the constants made once, outside the caller's loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClassifyWith(ref byte src, int p, Vector256<byte> sp, Vector256<byte> tab, Vector256<byte> cr, Vector256<byte> lf, out uint content, out uint bare, out uint drop, out uint tabs, out Vector128<byte> low, out Vector128<byte> high)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.LoadUnsafe(ref src, (nuint)p);
            var before = Vector256.LoadUnsafe(ref src, (nuint)(p - 1));
            var after = Vector256.LoadUnsafe(ref src, (nuint)(p + 1));
            var isTab = Vector256.Equals(v, tab);
            var wsp = Vector256.Equals(v, sp) | isTab;
            var crs = Vector256.Equals(v, cr);
            var lfs = Vector256.Equals(v, lf);
            var afterWspOrCr = Vector256.Equals(after, sp) | Vector256.Equals(after, tab) | Vector256.Equals(after, cr);
            content = (~(wsp | crs | lfs)).ExtractMostSignificantBits();
            bare = (Vector256.AndNot(crs, Vector256.Equals(after, lf)) | Vector256.AndNot(lfs, Vector256.Equals(before, cr))).ExtractMostSignificantBits();
            drop = (wsp & afterWspOrCr).ExtractMostSignificantBits();
            tabs = isTab.ExtractMostSignificantBits();
            var canonical = Vector256.ConditionalSelect(isTab, sp, v);
            low = canonical.GetLower();
            high = canonical.GetUpper();
            return;
        }

        Classify16(ref src, p, out var content0, out var bare0, out var drop0, out var tabs0, out low);
        Classify16(ref src, p + Vector128<byte>.Count, out var content1, out var bare1, out var drop1, out var tabs1, out high);
        content = content0 | (content1 << 16);
        bare = bare0 | (bare1 << 16);
        drop = drop0 | (drop1 << 16);
        tabs = tabs0 | (tabs1 << 16);
    }

    /// <summary><see cref="Classify"/> for 16 bytes with 128-bit vectors (machines without 256-bit ones, and tests).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Classify16(ref byte src, int p, out uint content, out uint bare, out uint drop, out uint tabs, out Vector128<byte> canonical)
    {
        var v = Vector128.LoadUnsafe(ref src, (nuint)p);
        var before = Vector128.LoadUnsafe(ref src, (nuint)(p - 1));
        var after = Vector128.LoadUnsafe(ref src, (nuint)(p + 1));
        var sp = Vector128.Create((byte)' ');
        var tab = Vector128.Create((byte)'\t');
        var cr = Vector128.Create((byte)'\r');
        var lf = Vector128.Create((byte)'\n');
        var isTab = Vector128.Equals(v, tab);
        var wsp = Vector128.Equals(v, sp) | isTab;
        var crs = Vector128.Equals(v, cr);
        var lfs = Vector128.Equals(v, lf);
        var afterWspOrCr = Vector128.Equals(after, sp) | Vector128.Equals(after, tab) | Vector128.Equals(after, cr);
        content = (~(wsp | crs | lfs)).ExtractMostSignificantBits();
        bare = (Vector128.AndNot(crs, Vector128.Equals(after, lf)) | Vector128.AndNot(lfs, Vector128.Equals(before, cr))).ExtractMostSignificantBits();
        drop = (wsp & afterWspOrCr).ExtractMostSignificantBits();
        tabs = isTab.ExtractMostSignificantBits();
        canonical = Vector128.ConditionalSelect(isTab, sp, v);
    }

    /// <summary>
    /// Stores the bytes of <paramref name="v"/> whose bit is set in the 16-bit <paramref name="keep"/>
    /// back to back at <paramref name="d"/>; returns the new end. Writes up to 16 bytes past it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Pack(Vector128<byte> v, uint keep, ref byte dst, int d)
    {
        // One table row per 8-bit mask and half: a shuffle, a whole-vector store, and the next group's
        // store lands on the bytes past the kept ones.
        ref var table = ref MemoryMarshal.GetArrayDataReference(GatherIndices);
        var keepLow = keep & 0xFF;
        var keepHigh = (keep >> 8) & 0xFF;
        Shuffle(v, Vector128.LoadUnsafe(ref table, keepLow * 16)).StoreUnsafe(ref dst, (nuint)d);
        d += BitOperations.PopCount(keepLow);
        Shuffle(v, Vector128.LoadUnsafe(ref table, (keepHigh + 256) * 16)).StoreUnsafe(ref dst, (nuint)d);
        return d + BitOperations.PopCount(keepHigh);
    }

    /// <summary>A byte shuffle with indices 0 to 15, on the instruction the machine has.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> v, Vector128<byte> indices)
    {
        if (Ssse3.IsSupported)
        {
            return Ssse3.Shuffle(v, indices);
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.VectorTableLookup(v, indices);
        }

        return Vector128.Shuffle(v, indices);
    }

    private static byte[] BuildGatherIndices()
    {
        // Rows 0-255 gather from the low 8 bytes, rows 256-511 from the high 8; unused slots are 0.
        var table = new byte[2 * 256 * 16];
        for (var half = 0; half < 2; half++)
        {
            for (var mask = 0; mask < 256; mask++)
            {
                var slot = ((half * 256) + mask) * 16;
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((mask & (1 << bit)) != 0)
                    {
                        table[slot++] = (byte)((half * 8) + bit);
                    }
                }
            }
        }

        return table;
    }
}
