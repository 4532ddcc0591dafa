using System.Buffers;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// Header canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) of raw fields into a buffer that
/// the header hash is computed over.
/// </summary>
internal static class DkimHeaderCanonicalizer
{
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\n"u8);

    /// <summary>Appends one field (with CRLF unless <paramref name="withCrlf"/> is false: the signature's own field, §3.7).</summary>
    public static void Append(IBufferWriter<byte> output, RawHeaderField field, DkimCanonicalization canonicalization, bool withCrlf = true)
    {
        if (canonicalization == DkimCanonicalization.Simple)
        {
            // §3.4.1: the field exactly as it is, folding and all.
            output.Write(field.Bytes);
        }
        else
        {
            AppendRelaxed(output, field.Name, field.Value);
        }

        if (withCrlf)
        {
            output.Write("\r\n"u8);
        }
    }

    /// <summary>§3.4.2: lower-case name, unfold, collapse WSP runs, trim the value, no WSP around the colon.</summary>
    public static void AppendRelaxed(IBufferWriter<byte> output, string name, ReadOnlySpan<byte> value) =>
        AppendRelaxed(output, name, value, default);

    /// <summary>
    /// As above for a value given in two pieces (the signature's own field around its emptied b=, §3.7):
    /// the pieces are canonicalized as one value, a WSP run across the joint included, without joining them.
    /// </summary>
    public static void AppendRelaxed(IBufferWriter<byte> output, string name, ReadOnlySpan<byte> value, ReadOnlySpan<byte> continuation)
    {
        var span = output.GetSpan(name.Length + 1 + value.Length + continuation.Length);
        var length = 0;
        foreach (var c in name)
        {
            span[length++] = (byte)(c is >= 'A' and <= 'Z' ? c + 32 : c);
        }

        // Name was trimmed of trailing WSP when the field was made.
        span[length++] = (byte)':';

        // Runs of text between WSP/CR/LF are copied whole (a vector scan finds their ends): a value
        // is mostly such runs, and the long ones (h=, b=, bh= of a signature) dominate.
        var pendingSpace = false;
        var started = false;
        for (var piece = 0; piece < 2; piece++)
        {
            var rest = piece == 0 ? value : continuation;
            while (rest.Length > 0)
            {
                var run = rest.IndexOfAny(Blanks);
                if (run < 0)
                {
                    run = rest.Length;
                }

                if (run > 0)
                {
                    if (pendingSpace)
                    {
                        span[length++] = (byte)' ';
                        pendingSpace = false;
                    }

                    rest[..run].CopyTo(span[length..]);
                    length += run;
                    started = true;
                    rest = rest[run..];
                    if (rest.Length == 0)
                    {
                        break;
                    }
                }

                // Unfolding: CR and LF go, and the WSP after them counts as part of a run; a run inside the
                // value becomes one SP, and WSP at either end goes.
                pendingSpace |= started && rest[0] is (byte)' ' or (byte)'\t';
                rest = rest[1..];
            }
        }

        output.Advance(length);
    }
}
