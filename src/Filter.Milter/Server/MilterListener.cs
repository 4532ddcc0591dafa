using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Filter.Milter.Server;

/// <summary>
/// Creates the listening socket of a <see cref="MilterServer"/>. A milter must refuse to start
/// when its address is taken: an MTA connects to whichever process answers, so a second daemon
/// that shared the port (or replaced a live Unix socket file) would silently take part of the mail.
/// Both failures are a <see cref="SocketException"/> with <see cref="SocketError.AddressAlreadyInUse"/>
/// and a message naming the socket.
/// </summary>
internal static class MilterListener
{
    // setsockopt(2) constants: SOL_SOCKET and SO_REUSEADDR are 1 and 2 on Linux, 0xffff and 4 on
    // the BSDs and macOS.
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;
    private const int BsdSolSocket = 0xffff;
    private const int BsdSoReuseAddr = 4;

    /// <summary>Binds a TCP listener; the address may still hold connections in TIME_WAIT from a previous run.</summary>
    public static Socket BindTcp(MilterSocketSpec spec, IPAddress address, int backlog)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowTimeWaitRebind(listener);
            listener.Bind(new IPEndPoint(address, spec.Port));
            listener.Listen(backlog);
            return listener;
        }
        catch (SocketException exception)
        {
            listener.Dispose();
            throw Describe(spec, exception);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Binds a Unix socket listener. An existing file at the path is probed by connecting to it:
    /// a live listener (another daemon) makes the bind fail and the file is left alone; a file
    /// nobody answers on is left over from a crash and is replaced (milter reference §15).
    /// </summary>
    public static Socket BindUnix(MilterSocketSpec spec, UnixFileMode mode, int backlog, ILogger logger)
    {
        if (File.Exists(spec.Path))
        {
            if (IsLive(spec.Path))
            {
                throw new SocketException(
                    (int)SocketError.AddressAlreadyInUse,
                    $"Cannot listen on {spec}: another process is listening on that socket file (is authfilter already running?). It was left in place.");
            }

            File.Delete(spec.Path);
            MilterLog.StaleSocketRemoved(logger, spec.Path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(spec.Path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(spec.Path, mode);
            }

            listener.Listen(backlog);
            return listener;
        }
        catch (SocketException exception)
        {
            listener.Dispose();
            throw Describe(spec, exception);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets SO_REUSEADDR alone. Socket.ReuseAddress would not do: on Unix .NET maps it to
    /// SO_REUSEADDR plus SO_REUSEPORT (dotnet/corefx#32046, for parity with Windows), and with
    /// SO_REUSEPORT Linux lets a second process bind the same port and shares the incoming
    /// connections between the two. SO_REUSEADDR alone lets a restarted daemon bind while
    /// connections of its predecessor are in TIME_WAIT, and still fails on a live listener.
    /// </summary>
    private static void AllowTimeWaitRebind(Socket listener)
    {
        if (OperatingSystem.IsLinux())
        {
            listener.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            listener.SetRawSocketOption(BsdSolSocket, BsdSoReuseAddr, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsWindows())
        {
            // Windows rebinds over TIME_WAIT by default; exclusive use stops another socket
            // with SO_REUSEADDR from stealing the port.
            listener.ExclusiveAddressUse = true;
        }
    }

    private static bool IsLive(string path)
    {
        // Non-blocking, so a live daemon whose backlog is full cannot stall our start.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // EAGAIN: a listener is there, its backlog is full.
            return true;
        }
        catch (SocketException)
        {
            // ECONNREFUSED: a socket file without a listener (or not a socket at all).
            return false;
        }
    }

    private static SocketException Describe(MilterSocketSpec spec, SocketException exception)
    {
        string reason = exception.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => "the address is already in use (is authfilter or another milter already running there?)",
            SocketError.AddressNotAvailable => "the address is not one of this host's",
            SocketError.AccessDenied => "permission denied",
            _ => exception.Message,
        };
        return new SocketException((int)exception.SocketErrorCode, $"Cannot listen on {spec}: {reason}");
    }
}
