namespace Filter.Engine.Policy;

/// <summary>The two socket families a milter listens on, as the MTAs name them (`inet:` and `unix:`).</summary>
public enum ListenSocketKind
{
    /// <summary>A TCP socket: <c>inet:ADDRESS:PORT</c>.</summary>
    Inet,

    /// <summary>A unix-domain socket: <c>unix:/absolute/path</c>.</summary>
    Unix,
}
