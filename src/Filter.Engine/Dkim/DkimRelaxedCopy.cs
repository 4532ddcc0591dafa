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
/// The portable classifier serves 256-bit and 128-bit vectors; on AVX2 a leaner loop does the same work
/// (<see cref="CopyAvx2"/>: the block loop is bound by instruction count, and it needs about half as
/// many instructions per block). It stops at what it does not handle — a bare CR or LF, a
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

    /// <summary>Length of one half of <see cref="GroupIndices"/>: 256 rows of 8 bytes and 8 bytes of padding.</summary>
    private const int GroupTableHalf = (256 * 8) + 8;

    /// <summary>For each 8-bit keep mask and each half of a 16-byte vector, the shuffle indices that gather the kept bytes to the front.</summary>
    private static readonly byte[] GatherIndices = BuildGatherIndices();

    /// <summary>For each 8-bit keep mask, the shuffle indices that gather the kept bytes of a vector's low 8 bytes, then (second half) of its high 8.</summary>
    private static readonly byte[] GroupIndices = BuildGroupIndices();

    /// <summary>
    /// Canonicalizes from <paramref name="input"/>[<paramref name="start"/>..], where the byte before
    /// start is content and nothing is pending, into <paramref name="output"/>. Returns where it stopped
    /// (again just after a content byte, or start itself when it could do nothing) and sets
    /// <paramref name="written"/>.
    /// </summary>
    public static int Copy(ReadOnlySpan<byte> input, int start, Span<byte> output, out int written) =>
        Avx2.IsSupported ? CopyAvx2(input, start, output, out written) : CopyPortable(input, start, output, out written);

    /// <summary>
    /// <see cref="Copy"/> on AVX2, written for few instructions per block (the loop is bound by how many
    /// the core can issue, not by any one unit): native-width offsets, so loads and stores need no sign
    /// extension; the all-blank test on one mask, bare CR/LF tested without keeping its mask; "next
    /// byte is SP, TAB or CR" by one nibble lookup; TAB to SP by one blend; and the packing by 8-byte groups, each a byte shuffle whose indices are read
    /// straight from an 8-byte table row (<see cref="GroupIndices"/>) by the shuffle itself.
    /// </summary>
    internal static int CopyAvx2(ReadOnlySpan<byte> input, int start, Span<byte> output, out int written)
    {
        written = 0;
        if (start < 1)
        {
            return start;
        }

        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        ref var lowRows = ref MemoryMarshal.GetArrayDataReference(GroupIndices);
        ref var highRows = ref Unsafe.Add(ref lowRows, GroupTableHalf);
        nuint p = (uint)start;
        nuint d = 0;

        // The look-ahead load reads one byte past the block; stores reach at most one block past d.
        var lastBlock = (nint)input.Length - BlockSize - 1;
        var lastStore = (nint)output.Length - Slack;
        if ((nint)p > lastBlock || lastStore < 0)
        {
            return start;
        }

        var unchanged = 0;
        uint lastBlanks = uint.MaxValue;
        uint lastKeep = 0;
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        var wspOrCrRows = Vector256.Create(
            (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0, (byte)'\t', 0, 0, 0, (byte)'\r', 0, 0,
            (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0, (byte)'\t', 0, 0, 0, (byte)'\r', 0, 0);
        while (true)
        {
            var v = Vector256.LoadUnsafe(ref src, p);
            var before = Vector256.LoadUnsafe(ref src, p - 1);
            var after = Vector256.LoadUnsafe(ref src, p + 1);
            var isTab = Avx2.CompareEqual(v, tab);
            var wsp = Avx2.Or(Avx2.CompareEqual(v, sp), isTab);
            var crs = Avx2.CompareEqual(v, cr);
            var lfs = Avx2.CompareEqual(v, lf);
            var blanks = (uint)Avx2.MoveMask(Avx2.Or(Avx2.Or(wsp, crs), lfs));

            // A CR not followed by LF or an LF not preceded by CR is the state machine's (§3.4.4 treats
            // only CRLF as a line end), and so is a block of blanks alone (runs of empty lines).
            var bare = Avx2.Or(Avx2.AndNot(Avx2.CompareEqual(after, lf), crs), Avx2.AndNot(Avx2.CompareEqual(before, cr), lfs));
            if (Avx2.MoveMask(bare) != 0 || blanks == uint.MaxValue)
            {
                break;
            }

            // §3.4.4: a WSP run becomes one SP (its last WSP is kept) and WSP at a line's end goes.
            // Whether the next byte is SP, TAB or CR takes one lookup by its low nibble: those three
            // are the only bytes equal to their row (a byte of 0x80 or more looks up 0).
            var afterWspOrCr = Avx2.CompareEqual(Avx2.Shuffle(wspOrCrRows, after), after);
            var drop = (uint)Avx2.MoveMask(Avx2.And(wsp, afterWspOrCr));
            var canonical = Avx2.BlendVariable(v, sp, isTab);
            lastBlanks = blanks;
            p += BlockSize;
            if (drop == 0)
            {
                canonical.StoreUnsafe(ref dst, d);
                d += BlockSize;
                lastKeep = uint.MaxValue;
                if (++unchanged == CleanBlocksBeforeReturn)
                {
                    // A long stretch with nothing to rewrite: the caller hashes such stretches in place.
                    break;
                }
            }
            else
            {
                // Four 8-byte groups, each gathered by one shuffle; a store writes 16 bytes and the next
                // group's store lands just after the bytes kept.
                var keep = ~drop;
                var lowHalf = canonical.GetLower();
                var highHalf = canonical.GetUpper();

                // Native-width row numbers, so the row's address is one addressing mode of the shuffle.
                nuint k0 = keep & 0xFF;
                nuint k1 = (keep >> 8) & 0xFF;
                nuint k2 = (keep >> 16) & 0xFF;
                nuint k3 = keep >> 24;
                Ssse3.Shuffle(lowHalf, Vector128.LoadUnsafe(ref lowRows, k0 * 8)).StoreUnsafe(ref dst, d);
                d += (uint)BitOperations.PopCount(k0);
                Ssse3.Shuffle(lowHalf, Vector128.LoadUnsafe(ref highRows, k1 * 8)).StoreUnsafe(ref dst, d);
                d += (uint)BitOperations.PopCount(k1);
                Ssse3.Shuffle(highHalf, Vector128.LoadUnsafe(ref lowRows, k2 * 8)).StoreUnsafe(ref dst, d);
                d += (uint)BitOperations.PopCount(k2);
                Ssse3.Shuffle(highHalf, Vector128.LoadUnsafe(ref highRows, k3 * 8)).StoreUnsafe(ref dst, d);
                d += (uint)BitOperations.PopCount(k3);
                lastKeep = keep;
                unchanged = 0;
            }

            if ((nint)p > lastBlock || (nint)d > lastStore)
            {
                break;
            }
        }

        var lastContent = ~lastBlanks;
        if (lastContent != 0)
        {
            // Give back what follows the last block's last content byte: its fate depends on bytes not taken.
            var last = 31 - BitOperations.LeadingZeroCount(lastContent);
            var afterLast = ~(uint)((2UL << last) - 1);
            p -= (nuint)(BlockSize - 1 - last);
            d -= (uint)BitOperations.PopCount(lastKeep & afterLast);
        }

        written = (int)d;
        return (int)p;
    }

    /// <summary><see cref="Copy"/> on any vector hardware (128-bit and 256-bit), through <see cref="ClassifyWith"/> and <see cref="Pack"/>.</summary>
    internal static int CopyPortable(ReadOnlySpan<byte> input, int start, Span<byte> output, out int written)
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

    private static byte[] BuildGroupIndices()
    {
        // Two tables of 256 rows of 8 bytes (indices 0-7, then 8-15), each padded by 8 bytes: a row is
        // read as 16 bytes, the next row's bytes fill the unused upper indices.
        var table = new byte[2 * GroupTableHalf];
        for (var half = 0; half < 2; half++)
        {
            for (var mask = 0; mask < 256; mask++)
            {
                var slot = (half * GroupTableHalf) + (mask * 8);
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
