namespace Filter.Milter.Protocol;

/// <summary>The address family byte of CONNECT (SMFIA_*, milter reference §5.3).</summary>
public enum ConnectFamily : byte
{
    /// <summary>SMFIA_UNKNOWN 'U': no port and no address follow.</summary>
    Unknown = (byte)'U',
    /// <summary>SMFIA_UNIX 'L': a local (Unix-domain) client; the address is a path.</summary>
    Local = (byte)'L',
    /// <summary>SMFIA_INET '4'.</summary>
    Inet = (byte)'4',
    /// <summary>SMFIA_INET6 '6'.</summary>
    Inet6 = (byte)'6',
}
