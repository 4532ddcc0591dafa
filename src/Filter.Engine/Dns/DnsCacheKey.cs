namespace Filter.Engine.Dns;

/// <summary>One question: a name (case and trailing dot ignored, RFC 4343) and a record type.</summary>
internal readonly record struct DnsCacheKey(string Name, DnsRecordType Type)
{
    /// <summary>Compares without allocating: no lower-cased copy of the name is made.</summary>
    public static IEqualityComparer<DnsCacheKey> Comparer { get; } = new KeyComparer();

    private sealed class KeyComparer : IEqualityComparer<DnsCacheKey>
    {
        public bool Equals(DnsCacheKey x, DnsCacheKey y) =>
            x.Type == y.Type
            && x.Name.AsSpan().TrimEnd('.').Equals(y.Name.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(DnsCacheKey key) =>
            HashCode.Combine(string.GetHashCode(key.Name.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase), key.Type);
    }
}
