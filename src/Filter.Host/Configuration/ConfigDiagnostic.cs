using System.Globalization;

namespace Filter.Host.Configuration;

/// <summary>
/// One finding about a policy file, at a 1-based line and column (0 and 0 when it concerns the
/// file as a whole, e.g. a file that cannot be read).
/// </summary>
internal sealed record ConfigDiagnostic(ConfigSeverity Severity, int Line, int Column, string Message)
{
    /// <summary>
    /// The compiler-style line editors and CI annotators understand: <c>FILE:LINE:COL: message</c>,
    /// with <c>warning: </c> before the message of a warning.
    /// </summary>
    public string Format(string file)
    {
        var prefix = Severity == ConfigSeverity.Warning ? "warning: " : "";
        return Line == 0
            ? file + ": " + prefix + Message
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{Line}:{Column}: {prefix}{Message}");
    }
}
