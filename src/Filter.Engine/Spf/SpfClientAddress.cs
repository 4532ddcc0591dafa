using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Filter.Engine.Dns;

namespace Filter.Engine.Spf;

/// <summary>
/// The &lt;ip&gt; of check_host() in the forms SPF needs: an IPv4-mapped IPv6 address is an IPv4
/// address (RFC 7208 §5.6: "MUST still be considered an IPv4 address"), numbers for CIDR matching,
/// and the texts of the i, c and v macros.
/// </summary>
internal sealed class SpfClientAddress
{
    private string? _dotted;
    private string? _reverseName;

    public SpfClientAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            // A zone id names a local link, which means nothing to the sender's domain.
            address = new IPAddress(address.GetAddressBytes());
        }

        Address = address;
        IsIPv4 = address.AddressFamily == AddressFamily.InterNetwork;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (IsIPv4)
        {
            V4 = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        else if (written == 16)
        {
            V6 = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }
    }

    public IPAddress Address { get; }

    public bool IsIPv4 { get; }

    public uint V4 { get; }

    public UInt128 V6 { get; }

    /// <summary>The "c" macro: the address as people write it (RFC 5952 form for IPv6).</summary>
    public string Readable => Address.ToString();

    /// <summary>The "i" macro: dotted quad, or 32 dot-separated nibbles for IPv6 (§7.3).</summary>
    public string Dotted => _dotted ??= IsIPv4 ? Address.ToString() : Nibbles();

    /// <summary>The "v" macro.</summary>
    public string Version => IsIPv4 ? "in-addr" : "ip6";

    /// <summary>The PTR query name (in-addr.arpa or ip6.arpa).</summary>
    public string ReverseName => _reverseName ??= Filter.Engine.Dns.ReverseName.For(Address);

    public bool MatchesIp4(uint network, int prefix) => IsIPv4 && ((V4 ^ network) & Mask4(prefix)) == 0;

    public bool MatchesIp6(UInt128 network, int prefix) => !IsIPv4 && ((V6 ^ network) & Mask6(prefix)) == UInt128.Zero;

    /// <summary>True when a DNS address (from A or AAAA) is in the same network as the client.</summary>
    public bool Matches(IPAddress candidate, int cidr4, int cidr6)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!candidate.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        return written == 4
            ? MatchesIp4(BinaryPrimitives.ReadUInt32BigEndian(bytes), cidr4)
            : MatchesIp6(BinaryPrimitives.ReadUInt128BigEndian(bytes), cidr6);
    }

    /// <summary>True when the DNS address is exactly the client's (PTR validation, §5.5).</summary>
    public bool IsSameAs(IPAddress candidate) => Matches(candidate, 32, 128);

    private static uint Mask4(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);

    private static UInt128 Mask6(int prefix) => prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);

    private string Nibbles()
    {
        const string Hex = "0123456789abcdef";
        return string.Create(63, V6, static (span, value) =>
        {
            for (var i = 0; i < 32; i++)
            {
                var nibble = (int)(value >> (124 - (i * 4))) & 0xF;
                span[i * 2] = Hex[nibble];
                if (i < 31)
                {
                    span[(i * 2) + 1] = '.';
                }
            }
        });
    }
}
