using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Filter.Testing.Net;

/// <summary>
/// Reads the kernel's per-socket TCP counters (Linux getsockopt TCP_INFO, struct tcp_info in
/// include/uapi/linux/tcp.h), to count the TCP segments that really crossed the wire.
/// </summary>
public static class TcpInfo
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;

    // Offset of tcpi_data_segs_in (native byte order) (Linux 4.6+): segments received that carried data.
    private const int DataSegmentsInOffset = 152;

    /// <summary>True where the counters can be read (Linux 4.6 or later).</summary>
    public static bool IsSupported(Socket socket) => OperatingSystem.IsLinux() && DataSegmentsIn(socket) is not null;

    /// <summary>Data-carrying segments received on <paramref name="socket"/> so far, or null when the kernel does not say.</summary>
    public static uint? DataSegmentsIn(Socket socket)
    {
        byte[] info = new byte[256];
        int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info);
        return length >= DataSegmentsInOffset + 4 ? MemoryMarshal.Read<uint>(info.AsSpan(DataSegmentsInOffset)) : null;
    }
}
