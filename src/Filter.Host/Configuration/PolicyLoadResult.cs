using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// The outcome of loading one policy file: the policy when there were no errors, every diagnostic
/// in file order, and which keys the file set (everything else is a default).
/// </summary>
/// <param name="File">The file as the user named it, used in diagnostics.</param>
/// <param name="Policy">The effective policy, or null when <see cref="Diagnostics"/> has an error.</param>
/// <param name="Diagnostics">Errors and warnings, ordered by line and column.</param>
/// <param name="ExplicitKeys">Dotted paths of the keys the file set (<c>dns.timeout</c>, <c>overrides</c>...).</param>
internal sealed record PolicyLoadResult(
    string File,
    FilterPolicy? Policy,
    IReadOnlyList<ConfigDiagnostic> Diagnostics,
    IReadOnlySet<string> ExplicitKeys)
{
    public bool Succeeded => Policy is not null;

    /// <summary>Each diagnostic as a <c>FILE:LINE:COL: message</c> line.</summary>
    public IEnumerable<string> FormatDiagnostics()
    {
        foreach (var diagnostic in Diagnostics)
        {
            yield return diagnostic.Format(File);
        }
    }
}
