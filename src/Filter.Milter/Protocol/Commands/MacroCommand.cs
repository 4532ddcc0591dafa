namespace Filter.Milter.Protocol;

/// <summary>
/// SMFIC_MACRO: macro values for the command that follows (milter reference §6.1). Never answered.
/// <code>
/// +-------+---------------------------------------+
/// | stage | name \0 value \0 name \0 value \0 ... |   stage = the command code the macros belong to
/// +-------+---------------------------------------+   ('C','H','M','R','T','N','E', Postfix also 'L','B','U')
/// </code>
/// </summary>
/// <param name="Stage">The command code the macros belong to; may be a code we do not know.</param>
/// <param name="Macros">Name/value pairs in wire order; names as sent (<c>i</c> or <c>{i}</c>).</param>
public sealed record MacroCommand(MilterCommandCode Stage, IReadOnlyList<KeyValuePair<string, string>> Macros) : MilterCommand
{
    /// <inheritdoc />
    public override MilterCommandCode Code => MilterCommandCode.Macro;

    private protected override int GetPayloadLength()
    {
        int length = 1;
        for (int i = 0; i < Macros.Count; i++)
        {
            length += MilterText.GetEncodedLength(Macros[i].Key) + MilterText.GetEncodedLength(Macros[i].Value);
        }

        return length;
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        destination[0] = (byte)Stage;
        int offset = 1;
        for (int i = 0; i < Macros.Count; i++)
        {
            offset += MilterText.Write(destination[offset..], Macros[i].Key);
            offset += MilterText.Write(destination[offset..], Macros[i].Value);
        }
    }
}
