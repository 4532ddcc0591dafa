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
    /// <summary>
    /// Above this many (h= name, field) pairs, or (h= name, h= name) pairs, the fields are indexed by
    /// name first. h= is not bounded by RFC 6376: a 100 KB h= of 50,000 names over 1,000 fields would
    /// otherwise cost 50 million name comparisons per signature, a CPU amplification any sender could
    /// trigger.
    /// </summary>
    internal const int IndexThreshold = 4096;

    public static void AppendSignedFields(IBufferWriter<byte> output, IReadOnlyList<RawHeaderField> fields, string[] signedHeaders, DkimCanonicalization canonicalization)
    {
        if ((long)signedHeaders.Length * Math.Max(fields.Count, signedHeaders.Length) > IndexThreshold)
        {
            AppendByIndex(output, fields, signedHeaders, canonicalization);
        }
        else
        {
            AppendByScanning(output, fields, signedHeaders, canonicalization);
        }
    }

    /// <summary>For each name, scans the fields bottom-up: no allocation, for the usual short h=.</summary>
    internal static void AppendByScanning(IBufferWriter<byte> output, IReadOnlyList<RawHeaderField> fields, string[] signedHeaders, DkimCanonicalization canonicalization)
    {
        for (var k = 0; k < signedHeaders.Length; k++)
        {
            // The instances of this name already taken: one per earlier occurrence in h=. Counting them
            // in h= itself is quadratic in h=, which the caller bounds (IndexThreshold).
            var name = signedHeaders[k];
            var skip = 0;
            for (var e = 0; e < k; e++)
            {
                if (string.Equals(signedHeaders[e], name, StringComparison.OrdinalIgnoreCase))
                {
                    skip++;
                }
            }

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

    /// <summary>Indexes the fields by name once (bottom-up), then takes each name's next instance: linear in h= and fields.</summary>
    internal static void AppendByIndex(IBufferWriter<byte> output, IReadOnlyList<RawHeaderField> fields, string[] signedHeaders, DkimCanonicalization canonicalization)
    {
        var instances = new Dictionary<string, Stack<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!instances.TryGetValue(fields[i].Name, out var stack))
            {
                stack = new Stack<int>();
                instances[fields[i].Name] = stack;
            }

            // Pushed top-down, so each pop gives the lowest instance not yet used.
            stack.Push(i);
        }

        foreach (var name in signedHeaders)
        {
            if (instances.TryGetValue(name, out var stack) && stack.TryPop(out var index))
            {
                DkimHeaderCanonicalizer.Append(output, fields[index], canonicalization);
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

        // Relaxed: the two pieces as one value (WSP runs may span the cut), with no joined copy.
        DkimHeaderCanonicalizer.AppendRelaxed(output, field.Name, value[..valueStart], value[valueEnd..]);
    }

    /// <summary>Latin-1 bytes of a header value string built by the signer.</summary>
    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
