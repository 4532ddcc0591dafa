namespace Filter.Engine.Dkim;

/// <summary>
/// A parsed tag-list (RFC 6376 §3.2): the tags in the order written, or the first syntax error with
/// its position. Tag names are case-sensitive (§3.2: "Tags MUST be interpreted in a case-sensitive
/// manner").
/// </summary>
internal sealed class DkimTagList
{
    private readonly List<DkimTag> _tags;

    private DkimTagList(List<DkimTag> tags, string? error)
    {
        _tags = tags;
        Error = error;
    }

    /// <summary>Null when the list parsed; otherwise what was wrong and where.</summary>
    public string? Error { get; }

    public IReadOnlyList<DkimTag> Tags => _tags;

    public static DkimTagList Success(List<DkimTag> tags) => new(tags, null);

    public static DkimTagList Failure(string error) => new([], error);

    public bool TryGet(string name, out DkimTag tag)
    {
        foreach (var candidate in _tags)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                tag = candidate;
                return true;
            }
        }

        tag = default;
        return false;
    }

    public string? GetValue(string name) => TryGet(name, out var tag) ? tag.Value : null;
}
