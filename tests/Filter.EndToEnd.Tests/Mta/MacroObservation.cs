using Filter.Milter.Protocol;

namespace Filter.EndToEnd.Tests.Mta;

/// <summary>The macros one message's milter session held at end of message, per stage, as the MTA sent them.</summary>
internal sealed record MacroObservation(IReadOnlyDictionary<MilterCommandCode, IReadOnlyList<KeyValuePair<string, string>>> ByStage)
{
    /// <summary>The value sent for <paramref name="name"/> at <paramref name="stage"/>, or null when the MTA did not send it.</summary>
    public string? Get(MilterCommandCode stage, string name)
    {
        if (!ByStage.TryGetValue(stage, out IReadOnlyList<KeyValuePair<string, string>>? macros))
        {
            return null;
        }

        foreach (KeyValuePair<string, string> macro in macros)
        {
            if (macro.Key == name)
            {
                return macro.Value;
            }
        }

        return null;
    }

    /// <summary>One line per stage, for the test log (and the README's table of what each MTA sends).</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        foreach ((MilterCommandCode stage, IReadOnlyList<KeyValuePair<string, string>> macros) in ByStage)
        {
            text.Append(stage).Append(':');
            foreach (KeyValuePair<string, string> macro in macros)
            {
                text.Append(' ').Append(macro.Key).Append("=\"").Append(macro.Value).Append('"');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
