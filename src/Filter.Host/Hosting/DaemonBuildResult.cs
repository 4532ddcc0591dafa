using Microsoft.Extensions.Hosting;

namespace Filter.Host.Hosting;

/// <summary>The daemon host ready to run, or every reason it cannot be built (policy or zone file errors).</summary>
/// <param name="Host">The host, or null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Problems, one per line as FILE:LINE:COL: message.</param>
internal sealed record DaemonBuildResult(IHost? Host, IReadOnlyList<string> Errors);
