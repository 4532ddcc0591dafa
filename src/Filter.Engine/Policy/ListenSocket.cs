using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Filter.Engine.Policy;

/// <summary>
/// One socket the milter server listens on, in the notation Postfix uses for <c>smtpd_milters</c>:
/// <c>inet:127.0.0.1:8891</c>, <c>inet:[::1]:8891</c> or <c>unix:/run/authfilter/milter.sock</c>.
/// </summary>
/// <param name="Kind">TCP or unix-domain.</param>
/// <param name="Endpoint">For <see cref="ListenSocketKind.Inet"/>: the address and port; otherwise null.</param>
/// <param name="Path">For <see cref="ListenSocketKind.Unix"/>: the absolute socket path; otherwise null.</param>
/// <param name="Mode">For <see cref="ListenSocketKind.Unix"/>: the permissions the socket file gets
/// (the MTA's user must be able to write to it); otherwise null.</param>
public sealed record ListenSocket(ListenSocketKind Kind, IPEndPoint? Endpoint, string? Path, UnixFileMode? Mode)
{
    /// <summary>The default unix socket mode, 0660: the owner and the MTA's group may connect, nobody else.</summary>
    public const UnixFileMode DefaultUnixMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>The default: <c>inet:127.0.0.1:8891</c>, loopback only, the port OpenDKIM's packages made customary.</summary>
    public static ListenSocket DefaultLoopback { get; } = Inet(new IPEndPoint(IPAddress.Loopback, 8891));

    /// <summary>A TCP socket.</summary>
    public static ListenSocket Inet(IPEndPoint endpoint) => new(ListenSocketKind.Inet, endpoint, null, null);

    /// <summary>A unix-domain socket with its file mode.</summary>
    public static ListenSocket Unix(string path, UnixFileMode mode) => new(ListenSocketKind.Unix, null, path, mode);

    /// <summary>The socket in MTA notation, e.g. <c>inet:[::1]:8891</c>.</summary>
    public override string ToString()
    {
        if (Kind == ListenSocketKind.Unix)
        {
            return "unix:" + Path;
        }

        var address = Endpoint!.Address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + Endpoint.Address + "]"
            : Endpoint.Address.ToString();
        return "inet:" + address + ":" + Endpoint.Port.ToString(CultureInfo.InvariantCulture);
    }
}
