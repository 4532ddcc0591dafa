using System.Buffers;
using System.Text;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// Picks and canonicalizes the header fields a signature covers (RFC 6376 §5.4.2): for each name in
/// h=, the last not yet used instance (bottom-up); a name with no instance left contributes nothing
/// (which is how over-signing guards against added fields).
/// </summary>
internal static class DkimHeaderSelection
{
    public static void AppendSignedFields(IBufferWriter<byte> output, IReadOnlyList<RawHeaderField> fields, string[] signedHeaders, DkimCanonicalization canonicalization)
    {
        Dictionary<string, int>? used = null;
        foreach (var name in signedHeaders)
        {
            used ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            used.TryGetValue(name, out var skip);
            used[name] = skip + 1;
            var seen = 0;
            for (var i = fields.Count - 1; i >= 0; i--)
            {
                if (!string.Equals(fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (seen++ == skip)
                {
                    DkimHeaderCanonicalizer.Append(output, fields[i], canonicalization);
                    break;
                }
            }
        }
    }

    /// <summary>The signature's own field with the b= value (between '=' and ';' or the end) removed, without CRLF (§3.7).</summary>
    public static void AppendSignatureField(IBufferWriter<byte> output, RawHeaderField field, int valueStart, int valueEnd, DkimCanonicalization canonicalization)
    {
        var value = field.Value;
        if (canonicalization == DkimCanonicalization.Simple)
        {
            output.Write(field.Bytes.AsSpan(0, field.ValueOffset));
            output.Write(value[..valueStart]);
            output.Write(value[valueEnd..]);
            return;
        }

        // Relaxed canonicalization works on the whole value at once (WSP runs may span the cut).
        var length = value.Length - (valueEnd - valueStart);
        var emptied = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            value[..valueStart].CopyTo(emptied);
            value[valueEnd..].CopyTo(emptied.AsSpan(valueStart));
            DkimHeaderCanonicalizer.AppendRelaxed(output, field.Name, emptied.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(emptied);
        }
    }

    /// <summary>Latin-1 bytes of a header value string built by the signer.</summary>
    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
