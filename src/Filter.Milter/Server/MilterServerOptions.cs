using Filter.Milter.Session;

namespace Filter.Milter.Server;

/// <summary>How a <see cref="MilterServer"/> listens and how far it lets load go.</summary>
public sealed record MilterServerOptions
{
    /// <summary>Where to listen. Default <c>inet:127.0.0.1:8891</c>.</summary>
    public MilterSocketSpec Listen { get; init; } = MilterSocketSpec.Inet("127.0.0.1", 8891);

    /// <summary>
    /// Most sessions at once; a connection beyond it is accepted and closed at once (logged, event
    /// 1739), so the MTA applies its default action without waiting for a timeout. Default 1024.
    /// </summary>
    public int MaxSessions { get; init; } = 1024;

    /// <summary>Listen backlog. Default 512.</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>How long a stop waits for sessions in flight to finish their message before closing them. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Mode of the Unix socket file: the MTA's user must be able to write it. Default 0660
    /// (owner and group), so put the MTA's user in the milter's group.
    /// </summary>
    public UnixFileMode UnixSocketMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Limits of each session.</summary>
    public MilterSessionOptions Session { get; init; } = new();
}
