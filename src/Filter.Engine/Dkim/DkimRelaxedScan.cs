using System.Numerics;
using System.Runtime.Intrinsics;

namespace Filter.Engine.Dkim;

/// <summary>
/// Finds, in one vectorized pass, the first byte where relaxed body canonicalization (RFC 6376 §3.4.4)
/// has work to do: TAB, CR, LF, or an SP followed by WSP, CR or LF (a run to reduce or trailing
/// WSP to drop). Everything before it is already canonical and is hashed as is. A single SP between
/// words is not a stop, so ordinary text costs one vector compare per 32 bytes, not a call per word.
/// </summary>
internal static class DkimRelaxedScan
{
    /// <summary>Index of the first byte that needs work, or <paramref name="text"/>.Length if none.
    /// An SP in the last position is a stop: what follows it is not known yet.</summary>
    public static int IndexOfWork(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            i = Scan256(text);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            i = Scan128(text);
        }

        // Tail (under one vector plus one byte) or no vector support.
        for (; i < text.Length; i++)
        {
            var b = text[i];
            if (b is (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                return i;
            }

            if (b == (byte)' ' && (i + 1 == text.Length || text[i + 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return i;
            }
        }

        return text.Length;
    }

    // Each returns either the index of a stop, or where the scalar tail must take over (with no stop before it).
    private static int Scan256(ReadOnlySpan<byte> text)
    {
        var i = 0;
        var last = text.Length - Vector256<byte>.Count - 1;
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(text);
        var sp = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var cr = Vector256.Create((byte)'\r');
        var lf = Vector256.Create((byte)'\n');
        for (; i <= last; i += Vector256<byte>.Count)
        {
            // i + 1 + Count <= Length, so both loads stay inside the span.
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var next = Vector256.LoadUnsafe(ref start, (nuint)(i + 1));
            var control = Vector256.Equals(v, tab) | Vector256.Equals(v, cr) | Vector256.Equals(v, lf);
            var nextWsp = Vector256.Equals(next, sp) | Vector256.Equals(next, tab) | Vector256.Equals(next, cr) | Vector256.Equals(next, lf);
            var stops = control | (Vector256.Equals(v, sp) & nextWsp);
            if (stops != Vector256<byte>.Zero)
            {
                return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
            }
        }

        return i;
    }

    private static int Scan128(ReadOnlySpan<byte> text)
    {
        var i = 0;
        var last = text.Length - Vector128<byte>.Count - 1;
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(text);
        var sp = Vector128.Create((byte)' ');
        var tab = Vector128.Create((byte)'\t');
        var cr = Vector128.Create((byte)'\r');
        var lf = Vector128.Create((byte)'\n');
        for (; i <= last; i += Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref start, (nuint)i);
            var next = Vector128.LoadUnsafe(ref start, (nuint)(i + 1));
            var control = Vector128.Equals(v, tab) | Vector128.Equals(v, cr) | Vector128.Equals(v, lf);
            var nextWsp = Vector128.Equals(next, sp) | Vector128.Equals(next, tab) | Vector128.Equals(next, cr) | Vector128.Equals(next, lf);
            var stops = control | (Vector128.Equals(v, sp) & nextWsp);
            if (stops != Vector128<byte>.Zero)
            {
                return i + BitOperations.TrailingZeroCount(stops.ExtractMostSignificantBits());
            }
        }

        return i;
    }
}
