using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Filter.Engine.Dkim;

/// <summary>
/// The bulk path of simple body canonicalization (RFC 6376 §3.4.3): between its first and last content
/// bytes a body with CRLF line ends is already canonical, and only a bare LF (read as a line end, so
/// CRLF must be written) needs rewriting. One vector pass finds the first one.
/// </summary>
internal static class DkimSimpleScan
{
    /// <summary>
    /// Index of the first LF in <paramref name="input"/>[<paramref name="start"/>..<paramref name="end"/>)
    /// not preceded by CR, or <paramref name="end"/>. The byte before start (start ≥ 1) is looked at.
    /// </summary>
    public static int IndexOfBareLineFeed(ReadOnlySpan<byte> input, int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, input.Length);
        ref var src = ref MemoryMarshal.GetReference(input);
        var i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            var cr = Vector256.Create((byte)'\r');
            var lf = Vector256.Create((byte)'\n');
            for (; i + Vector256<byte>.Count <= end; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                var prev = Vector256.LoadUnsafe(ref src, (nuint)(i - 1));
                var bare = Vector256.Equals(v, lf) & ~Vector256.Equals(prev, cr);
                if (bare != Vector256<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(bare.ExtractMostSignificantBits());
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var cr = Vector128.Create((byte)'\r');
            var lf = Vector128.Create((byte)'\n');
            for (; i + Vector128<byte>.Count <= end; i += Vector128<byte>.Count)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)i);
                var prev = Vector128.LoadUnsafe(ref src, (nuint)(i - 1));
                var bare = Vector128.Equals(v, lf) & ~Vector128.Equals(prev, cr);
                if (bare != Vector128<byte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(bare.ExtractMostSignificantBits());
                }
            }
        }

        for (; i < end; i++)
        {
            if (input[i] == (byte)'\n' && input[i - 1] != (byte)'\r')
            {
                return i;
            }
        }

        return end;
    }
}
