using Filter.Engine.Dkim;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// A deliberately plain, per-byte, whole-body reading of RFC 6376 §3.4.3 (simple) and §3.4.4 (relaxed),
/// used only to check the streaming hasher. Line ends: CRLF, and bare LF read as CRLF (as the engine
/// does for files); a bare CR is an ordinary character.
/// </summary>
internal static class ReferenceBodyCanonicalizer
{
    public static byte[] Canonicalize(byte[] body, DkimCanonicalization canonicalization)
    {
        // 1. Split into lines.
        var lines = new List<List<byte>>();
        var line = new List<byte>();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == (byte)'\r' && i + 1 < body.Length && body[i + 1] == (byte)'\n')
            {
                lines.Add(line);
                line = [];
                i++;
            }
            else if (body[i] == (byte)'\n')
            {
                lines.Add(line);
                line = [];
            }
            else
            {
                line.Add(body[i]);
            }
        }

        if (line.Count > 0)
        {
            // A last line without its CRLF gets one (§3.4.3 / §3.4.4).
            lines.Add(line);
        }

        // 2. Relaxed: every WSP run becomes one SP, then WSP at the end of the line goes.
        if (canonicalization == DkimCanonicalization.Relaxed)
        {
            for (var n = 0; n < lines.Count; n++)
            {
                var reduced = new List<byte>();
                foreach (var b in lines[n])
                {
                    var wsp = b is (byte)' ' or (byte)'\t';
                    if (!wsp)
                    {
                        reduced.Add(b);
                    }
                    else if (reduced.Count == 0 || reduced[^1] != (byte)' ')
                    {
                        reduced.Add((byte)' ');
                    }
                }

                if (reduced.Count > 0 && reduced[^1] == (byte)' ')
                {
                    reduced.RemoveAt(reduced.Count - 1);
                }

                lines[n] = reduced;
            }
        }

        // 3. Empty lines at the end of the body are ignored.
        while (lines.Count > 0 && lines[^1].Count == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // 4. Empty body: CRLF for simple, nothing for relaxed.
        if (lines.Count == 0)
        {
            return canonicalization == DkimCanonicalization.Simple ? "\r\n"u8.ToArray() : [];
        }

        var output = new List<byte>();
        foreach (var l in lines)
        {
            output.AddRange(l);
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return [.. output];
    }
}
