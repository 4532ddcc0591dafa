using System.Buffers.Binary;

namespace Filter.Milter.Protocol;

/// <summary>The shared layout of INSHEADER and CHGHEADER: uint32 index, name, value.</summary>
internal static class IndexedHeaderPayload
{
    public static int GetLength(string name, string value) => 4 + MilterText.GetEncodedLength(name) + MilterText.GetEncodedLength(value);

    public static void Write(Span<byte> destination, uint index, string name, string value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, index);
        int offset = 4 + MilterText.Write(destination[4..], name);
        MilterText.Write(destination[offset..], value);
    }
}
