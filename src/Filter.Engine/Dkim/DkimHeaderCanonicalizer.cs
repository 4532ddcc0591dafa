using System.Buffers;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// Header canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) of raw fields into a buffer that
/// the header hash is computed over.
/// </summary>
internal static class DkimHeaderCanonicalizer
{
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
    public static void AppendRelaxed(IBufferWriter<byte> output, string name, ReadOnlySpan<byte> value)
    {
        var span = output.GetSpan(name.Length + 1 + value.Length);
        var length = 0;
        foreach (var c in name)
        {
            span[length++] = (byte)(c is >= 'A' and <= 'Z' ? c + 32 : c);
        }

        // Name was trimmed of trailing WSP when the field was made.
        span[length++] = (byte)':';
        var pendingSpace = false;
        var started = false;
        foreach (var b in value)
        {
            switch (b)
            {
                case (byte)'\r' or (byte)'\n':
                    // Unfolding: the CRLF goes, the WSP after it stays (as part of a run).
                    continue;
                case (byte)' ' or (byte)'\t':
                    pendingSpace = started;
                    continue;
            }

            if (pendingSpace)
            {
                span[length++] = (byte)' ';
                pendingSpace = false;
            }

            span[length++] = b;
            started = true;
        }

        output.Advance(length);
    }
}
