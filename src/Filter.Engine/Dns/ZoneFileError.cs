namespace Filter.Engine.Dns;

/// <summary>
/// One problem found while reading an RFC 1035 master file: where it is and what was expected there.
/// </summary>
/// <param name="File">The file as it was named to the reader (an <c>$INCLUDE</c>d file by its resolved
/// path); <see cref="ZoneFileReaderOptions.FileName"/> for text read from memory.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file (it cannot be read).</param>
/// <param name="Column">1-based column in characters (UTF-8 sequences count once); 0 with line 0.</param>
/// <param name="Message">What is wrong and what was expected, for an admin to read.</param>
public sealed record ZoneFileError(string File, int Line, int Column, string Message)
{
    /// <summary>The compiler-style form <c>file:line:column: message</c>.</summary>
    public override string ToString() => Line == 0 ? $"{File}: {Message}" : $"{File}:{Line}:{Column}: {Message}";
}
