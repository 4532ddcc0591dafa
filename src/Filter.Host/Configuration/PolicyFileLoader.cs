using System.Text;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Loads and validates <c>filter.yaml</c>. Never throws for a bad or unreadable file: every problem
/// is a diagnostic with its line and column, and all of them are reported in one run. A missing file
/// is an error; an empty file (or one with only comments) means every default. Relative paths in the
/// file are resolved against the file's own folder.
/// </summary>
/// <param name="defaultAuthservId">The authserv-id when the file names none (the daemon passes the host name).</param>
internal sealed class PolicyFileLoader(string defaultAuthservId)
{
    /// <summary>A policy file larger than this is refused before parsing; real ones are a few KiB.</summary>
    public const int MaximumFileBytes = 1 << 20;

    /// <summary>The authserv-id used when the file names none.</summary>
    public string DefaultAuthservId { get; } = defaultAuthservId;

    /// <summary>A loader whose default authserv-id is this machine's host name, as RFC 8601 §2.5 suggests.</summary>
    public static PolicyFileLoader ForThisHost()
    {
        var host = System.Net.Dns.GetHostName();
        return new PolicyFileLoader(TokenText.CheckAuthservId(host) is null ? host : "localhost");
    }

    public PolicyLoadResult Load(string file)
    {
        string text;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                return Failed(file, Directory.Exists(file) ? "is a directory, not a policy file" : "file not found");
            }

            if (info.Length > MaximumFileBytes)
            {
                return Failed(file, $"is {info.Length} bytes; a policy file may have at most {MaximumFileBytes}");
            }

            text = File.ReadAllText(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return Failed(file, "cannot read file: " + exception.Message);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory();
        return LoadText(text, file, directory);
    }

    /// <summary>Loads policy text; <paramref name="file"/> names it in diagnostics, <paramref name="baseDirectory"/> anchors relative paths.</summary>
    public PolicyLoadResult LoadText(string text, string file, string baseDirectory)
    {
        var context = new BindingContext(baseDirectory);
        var root = YamlConfigReader.Read(text, context.Diagnostics);

        // Binding goes on after non-fatal reader errors (a duplicate key, a tag) so that one run
        // reports every problem; after a syntax error the root is null and nothing more is said.
        var policy = PolicyBinder.Bind(root, context, DefaultAuthservId);

        // Binders run section by section; report in file order, as a compiler does.
        var diagnostics = context.Diagnostics
            .Select((diagnostic, index) => (diagnostic, index))
            .OrderBy(pair => pair.diagnostic.Line)
            .ThenBy(pair => pair.diagnostic.Column)
            .ThenBy(pair => pair.index)
            .Select(pair => pair.diagnostic)
            .ToList();
        return new PolicyLoadResult(file, context.HasErrors ? null : policy, diagnostics, context.ExplicitKeys);
    }

    private static PolicyLoadResult Failed(string file, string message) =>
        new(file, null, [new ConfigDiagnostic(ConfigSeverity.Error, 0, 0, message)], new HashSet<string>());
}
