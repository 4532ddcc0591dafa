using System.Collections.Frozen;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Interns the registered values of one keyword type (methods, result words, property types) so
/// that parsing a registered keyword allocates nothing, and lets unknown ones through as new
/// instances: the registries are open (RFC 8601 §6), other servers may use names we do not know.
/// </summary>
internal sealed class KeywordTable<T>
    where T : class
{
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Func<string, T> _createUnregistered;

    public KeywordTable(IEnumerable<KeyValuePair<string, T>> registered, Func<string, T> createUnregistered)
    {
        var table = registered.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        _createUnregistered = createUnregistered;
    }

    /// <summary>
    /// The value for <paramref name="text"/> when it is an RFC 5321 Keyword (compared
    /// case-insensitively, RFC 8601 §2.2), else false.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> text, out T value)
    {
        if (!AuthResultsSyntax.IsKeyword(text))
        {
            value = null!;
            return false;
        }

        if (_lookup.TryGetValue(text, out var known))
        {
            value = known;
            return true;
        }

        value = _createUnregistered(AuthResultsSyntax.ToLowerAscii(text));
        return true;
    }
}
