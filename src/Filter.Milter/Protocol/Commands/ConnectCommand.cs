using System.Buffers.Binary;
using System.Net;

namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_CONNECT: the SMTP client (milter reference §5.3).
/// <code>
/// +-----------+--------+-----------+------------+
/// | host \0   | family | port u16  | address \0 |   port and address only when family != 'U'
/// +-----------+--------+-----------+------------+
/// </code>
/// </summary>
/// <param name="HostName">Verified host name, or the address in brackets, or "unknown".</param>
/// <param name="Family">Address family.</param>
/// <param name="Port">Client port (0 for local and unknown).</param>
/// <param name="Address">Address text as sent (Sendmail prefixes IPv6 with "IPv6:"), empty for unknown.</param>
public sealed record ConnectCommand(string HostName, ConnectFamily Family, ushort Port, string Address) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Connect;

    /// <summary>
    /// The client IP address, with Sendmail's "IPv6:" prefix and any brackets removed; false for
    /// local and unknown clients or text that is not an address.
    /// </summary>
    public bool TryGetIPAddress(out IPAddress? address)
    {
        address = null;
        if (Family is not (ConnectFamily.Inet or ConnectFamily.Inet6))
        {
            return false;
        }

        ReadOnlySpan<char> text = Address.AsSpan().Trim();
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        if (text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        return IPAddress.TryParse(text, out address);
    }

    private protected override int GetPayloadLength()
    {
        int length = MilterText.GetEncodedLength(HostName) + 1;
        if (Family != ConnectFamily.Unknown)
        {
            length += 2 + MilterText.GetEncodedLength(Address);
        }

        return length;
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        int offset = MilterText.Write(destination, HostName);
        destination[offset++] = (byte)Family;
        if (Family != ConnectFamily.Unknown)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], Port);
            offset += 2;
            MilterText.Write(destination[offset..], Address);
        }
    }
}
