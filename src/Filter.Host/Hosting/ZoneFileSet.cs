using System.Text;
using Filter.Engine.Dns;

namespace Filter.Host.Hosting;

/// <summary>Reads the <c>--zone</c> files as one zone.</summary>
internal static class ZoneFileSet
{
    /// <summary>
    /// Several files become one zone: each is <c>$INCLUDE</c>d by a tiny master file (RFC 1035 §5.1),
    /// so every file keeps its own <c>$ORIGIN</c> and <c>$TTL</c> and errors name their file and line.
    /// </summary>
    public static ZoneFileReadResult Read(IReadOnlyList<string> files)
    {
        if (files.Count == 1)
        {
            return ZoneFileReader.ReadFile(files[0]);
        }

        var master = new StringBuilder();
        foreach (string file in files)
        {
            master.Append("$INCLUDE \"")
                .Append(Path.GetFullPath(file).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))
                .Append("\"\n");
        }

        return ZoneFileReader.Read(master.ToString(), new ZoneFileReaderOptions { FileName = "--zone" });
    }
}
