using System.Globalization;
using System.Net;
using Filter.Engine.Dns;
using YamlDotNet.RepresentationModel;

namespace Filter.Testing.Zones;

/// <summary>
/// Turns the `zonedata` maps of the OpenSPF suite and of our DMARC suite into a <see cref="DnsZone"/>,
/// following the rules in those suites' READMEs, so the data is served as it is, never retyped:
/// <list type="bullet">
/// <item>names not listed do not exist (NXDOMAIN);</item>
/// <item>A, AAAA, PTR, CNAME: a string; MX: <c>[preference, exchange]</c>;</item>
/// <item>TXT: a string, or a list of character-strings joined with no separator (RFC 7208 §3.3);
/// an empty list is a TXT record with no strings;</item>
/// <item>SPF (the obsolete type 99): served as TXT for names with no TXT entry of their own, since an
/// RFC 7208 checker never queries type 99; <c>TXT: NONE</c> means no TXT and no copying;</item>
/// <item>TIMEOUT: every query for that name fails with a timeout, except for types that have
/// records there.</item>
/// </list>
/// </summary>
public static class YamlZoneData
{
    /// <summary>Builds a zone from a scenario's <c>zonedata</c> mapping (null gives an empty zone).</summary>
    public static DnsZone ToZone(YamlMappingNode? zoneData)
    {
        var zone = new DnsZone();
        if (zoneData is null)
        {
            return zone;
        }

        foreach (var (nameNode, recordsNode) in zoneData.Children)
        {
            var name = Scalar(nameNode);
            var records = recordsNode as YamlSequenceNode
                ?? throw new FormatException($"zonedata for {name} is not a list (line {recordsNode.Start.Line})");
            AddName(zone, name, records);
        }

        return zone;
    }

    private static void AddName(DnsZone zone, string name, YamlSequenceNode records)
    {
        var spfTexts = new List<string>();
        var hasTxtEntry = false;
        foreach (var item in records.Children)
        {
            if (item is YamlScalarNode { Value: "TIMEOUT" })
            {
                zone.AddFailure(name, DnsResponseStatus.Timeout);
                continue;
            }

            if (item is not YamlMappingNode { Children.Count: 1 } entry)
            {
                throw new FormatException($"zonedata item for {name} at line {item.Start.Line} is not TYPE: value");
            }

            var (typeNode, value) = entry.Children.First();
            var type = Scalar(typeNode).ToUpperInvariant();
            switch (type)
            {
                case "A":
                    zone.AddA(name, IPAddress.Parse(Scalar(value)));
                    break;
                case "AAAA":
                    zone.AddAaaa(name, IPAddress.Parse(Scalar(value)));
                    break;
                case "PTR":
                    zone.AddPtr(name, Scalar(value));
                    break;
                case "CNAME":
                    zone.AddCname(name, Scalar(value));
                    break;
                case "MX":
                    var mx = (YamlSequenceNode)value;
                    zone.AddMx(name, ushort.Parse(Scalar(mx.Children[0]), CultureInfo.InvariantCulture), Scalar(mx.Children[1]));
                    break;
                case "TXT":
                    hasTxtEntry = true;
                    if (value is YamlScalarNode { Value: "NONE" })
                    {
                        break;
                    }

                    zone.AddTxt(name, JoinedText(value));
                    break;
                case "SPF":
                    spfTexts.Add(JoinedText(value));
                    break;
                default:
                    throw new FormatException($"zonedata type {type} for {name} (line {entry.Start.Line}) is not supported");
            }
        }

        if (!hasTxtEntry)
        {
            foreach (var text in spfTexts)
            {
                zone.AddTxt(name, text);
            }
        }
    }

    private static string JoinedText(YamlNode value) => value switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode strings => string.Concat(strings.Children.Select(Scalar)),
        _ => throw new FormatException($"TXT value at line {value.Start.Line} is neither a string nor a list"),
    };

    private static string Scalar(YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new FormatException($"expected a string at line {node.Start.Line}");
}
