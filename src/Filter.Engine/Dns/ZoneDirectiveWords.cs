namespace Filter.Engine.Dns;

/// <summary>Splits the text of an <c>authfilter:</c> comment directive into words with their columns.</summary>
internal static class ZoneDirectiveWords
{
    public static List<ZoneToken> Split(ZoneToken directive)
    {
        var words = new List<ZoneToken>(3);
        var octets = directive.Octets;
        var i = 0;
        while (i < octets.Length)
        {
            if (octets[i] is (byte)' ' or (byte)'\t')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < octets.Length && octets[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }

            var column = directive.Column + ZoneText.Column(octets, 0, start) - 1;
            words.Add(new ZoneToken(ZoneTokenKind.Word, octets[start..i], directive.RawStart + start, i - start,
                directive.Line, column, Quoted: false, Escaped: false, AtLineStart: false));
        }

        return words;
    }
}
