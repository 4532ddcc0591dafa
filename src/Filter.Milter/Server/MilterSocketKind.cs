namespace Filter.Milter.Server;

/// <summary>The transport of a milter socket.</summary>
public enum MilterSocketKind
{
    /// <summary>TCP over IPv4 or IPv6.</summary>
    Inet,
    /// <summary>A Unix-domain stream socket.</summary>
    Unix,
}
