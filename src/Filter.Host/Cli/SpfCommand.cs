using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Filter.Engine.Spf;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter spf</c>: runs one SPF check (RFC 7208) the way the milter would, and prints the
/// result, the mechanism that matched, the reason, the explanation and the Received-SPF value, so
/// an admin can ask "why did this fail?" without sending mail. <c>--json</c> prints one object.
/// </summary>
/// <remarks>
/// DNS comes from the RFC 1035 zone files given with <c>--zone</c> (several are read as one zone),
/// or, without <c>--zone</c>, from the live resolver configured by the <c>dns:</c> section of the
/// policy file (<c>--config</c>, default ./filter.yaml when present, else the system's resolvers).
/// Exit codes: 0 the check ran (whatever its result), 1 bad input (address, zone file).
/// </remarks>
internal static class SpfCommand
{
    public static Command Create()
    {
        var ip = new Option<string>("--ip") { Description = "The connecting client's IP address (IPv4 or IPv6).", Required = true };
        var helo = new Option<string>("--helo") { Description = "The HELO/EHLO name the client gave.", Required = true };
        var mailFrom = new Option<string>("--mail-from")
        {
            Description = "The MAIL FROM address; \"\" is the null sender (postmaster@HELO is checked).",
            Required = true,
        };
        var zones = new Option<string[]>("--zone")
        {
            Description = "RFC 1035 zone file to answer DNS from (repeatable); without it DNS is live.",
            AllowMultipleArgumentsPerToken = true,
        };
        var receiver = new Option<string>("--receiver")
        {
            Description = "This host's name, for %{r} and the Received-SPF receiver.",
            DefaultValueFactory = _ => Environment.MachineName,
        };
        var config = new Option<string?>("--config")
        {
            Description = "Policy file whose dns: section configures the live resolver (default: ./filter.yaml if present).",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };

        var command = new Command("spf", "Check SPF (RFC 7208) for a client address, HELO name and MAIL FROM, and say why.")
        {
            ip, helo, mailFrom, zones, receiver, config, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryParseAddress(parseResult.GetValue(ip)!, out var address, out var problem))
            {
                await error.WriteLineAsync($"--ip: {problem}").ConfigureAwait(false);
                return 1;
            }

            var resolver = await CliDnsResolver.CreateAsync(parseResult.GetValue(zones) ?? [], parseResult.GetValue(config), error).ConfigureAwait(false);
            if (resolver is null)
            {
                return 1;
            }

            var receiverName = parseResult.GetValue(receiver) ?? "unknown";
            var evaluator = new SpfEvaluator(resolver, new SpfOptions { ReceiverName = receiverName });
            var result = await evaluator.CheckMailFromAsync(address, parseResult.GetValue(helo), parseResult.GetValue(mailFrom), cancellationToken)
                .ConfigureAwait(false);
            var received = SpfReceivedFieldFormatter.Format(result, receiverName);
            await output.WriteAsync(parseResult.GetValue(json) ? ToJson(result, received) : ToText(result, received)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    internal static bool TryParseAddress(string text, out IPAddress address, out string problem)
    {
        address = IPAddress.None;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            problem = $"'{text}' has a zone id; give the address alone";
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed)
            || (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3))
        {
            problem = $"'{text}' is not an IPv4 or IPv6 address";
            return false;
        }

        address = parsed;
        problem = string.Empty;
        return true;
    }

    private static string ToText(SpfResult result, string received)
    {
        var text = new StringBuilder();
        text.Append("result:       ").Append(result.ResultWord).Append('\n');
        text.Append("identity:     ").Append(result.PropertyName).Append('=').Append(result.PropertyValue).Append('\n');
        text.Append("mechanism:    ").Append(result.MatchedMechanism ?? "(none)").Append('\n');
        text.Append("reason:       ").Append(result.Reason).Append('\n');
        if (result.Explanation is not null)
        {
            text.Append("explanation:  ").Append(result.Explanation).Append('\n');
        }

        text.Append("Received-SPF: ").Append(received).Append('\n');
        return text.ToString();
    }

    // Relaxed escaping: this is terminal output, not HTML, and reasons quote record text with "'".
    private static string ToJson(SpfResult result, string received)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("result", result.ResultWord);
            writer.WriteString("identity", result.Identity == SpfIdentity.Helo ? "helo" : "mailfrom");
            writer.WriteString("domain", result.Domain);
            writer.WriteString("sender", result.Sender);
            writer.WriteString("clientIp", result.ClientAddress?.ToString());
            writer.WriteString("mechanism", result.MatchedMechanism);
            writer.WriteString("reason", result.Reason);
            writer.WriteString("explanation", result.Explanation);
            writer.WriteString("property", result.PropertyName);
            writer.WriteString("propertyValue", result.PropertyValue);
            writer.WriteString("receivedSpf", received);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
