namespace Filter.Milter.Protocol;

/// <summary>
/// The shared layout of CHGFROM and ADDRCPT_PAR (milter reference §10, pitfall 12): the address
/// and, optionally, all ESMTP parameters as ONE space-separated string; never more than two strings.
/// </summary>
internal static class AddressWithParametersPayload
{
    public static int GetLength(string address, string? parameters) =>
        MilterText.GetEncodedLength(address) + (parameters is null ? 0 : MilterText.GetEncodedLength(parameters));

    public static void Write(Span<byte> destination, string address, string? parameters)
    {
        int offset = MilterText.Write(destination, address);
        if (parameters is not null)
        {
            MilterText.Write(destination[offset..], parameters);
        }
    }
}
