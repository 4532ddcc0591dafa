namespace Filter.Testing;

/// <summary>Paths of the repository's own files, found from the test assembly's location.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository root: the folder that holds Filter.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>A path below the repository root, from parts.</summary>
    public static string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Filter.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException("Filter.sln not found above " + AppContext.BaseDirectory);
    }
}
