using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Filter.Engine.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Filter.Host.Cli;

/// <summary>
/// <c>authfilter check FILE.eml</c>: runs the daemon's own pipeline (<see cref="MessageAuthenticator"/>)
/// on a stored message with the envelope given as options, and prints the Authentication-Results
/// header it would insert, each result with its reason, the header edits and the verdict with its
/// SMTP reply. <c>--json</c> prints one object (see <see cref="OutcomeJson"/>).
/// </summary>
/// <remarks>
/// DNS: the zone files given with <c>--zone</c>, or the live resolver of the policy's <c>dns:</c> section.
/// Policy: <c>--policy</c>, else <c>./filter.yaml</c> when present, else the defaults.
/// Exit codes: 0 the check ran (whatever the verdict), 1 bad input (file, address, zone, policy).
/// </remarks>
internal static class CheckCommand
{
    /// <summary>RFC 5737 documentation address: by default the message is judged as from an unknown outside client.</summary>
    public const string DefaultClientIp = "192.0.2.1";

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The message (RFC 5322, CRLF or LF line ends)." };
        var clientIp = new Option<string>("--client-ip")
        {
            Description = $"The connecting client's IP address (default {DefaultClientIp}, a documentation address).",
            DefaultValueFactory = _ => DefaultClientIp,
        };
        var helo = new Option<string>("--helo") { Description = "The HELO/EHLO name (default: the MAIL FROM domain, else localhost)." };
        var mailFrom = new Option<string>("--mail-from")
        {
            Description = "The MAIL FROM address (default: \"\", the null sender, so SPF checks postmaster@HELO).",
            DefaultValueFactory = _ => string.Empty,
        };
        var rcpt = new Option<string[]>("--rcpt") { Description = "RCPT TO address (repeatable).", AllowMultipleArgumentsPerToken = true };
        var authUser = new Option<string?>("--auth-user") { Description = "Treat the client as authenticated with this login ({auth_authen})." };
        var zones = new Option<string[]>("--zone")
        {
            Description = "RFC 1035 zone file to answer DNS from (repeatable); without it DNS is live.",
            AllowMultipleArgumentsPerToken = true,
        };
        var policy = new Option<string?>("--policy") { Description = "Policy file (default: ./filter.yaml if present, else the defaults)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };

        var command = new Command("check", "Authenticate one stored message as the milter would: results, Authentication-Results header and verdict.")
        {
            file, clientIp, helo, mailFrom, rcpt, authUser, zones, policy, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!SpfCommand.TryParseAddress(parseResult.GetValue(clientIp)!, out var address, out var problem))
            {
                await error.WriteLineAsync($"--client-ip: {problem}").ConfigureAwait(false);
                return 1;
            }

            var path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"{path}: file not found").ConfigureAwait(false);
                return 1;
            }

            var loaded = await CliPolicy.LoadAsync(parseResult.GetValue(policy), error).ConfigureAwait(false);
            if (loaded is null)
            {
                return 1;
            }

            var resolver = await CliPolicy.ResolverAsync(parseResult.GetValue(zones) ?? [], loaded, error).ConfigureAwait(false);
            if (resolver is null)
            {
                return 1;
            }

            var sender = parseResult.GetValue(mailFrom) ?? string.Empty;
            var envelope = new MessageEnvelope(
                new ClientConnection(address, null, parseResult.GetValue(authUser)),
                parseResult.GetValue(helo) ?? DefaultHelo(sender),
                sender,
                parseResult.GetValue(rcpt) ?? []);
            var engine = new MessageAuthenticationEngine(resolver, loaded, TimeProvider.System, NullLogger.Instance);
            AuthenticationOutcome outcome;
            await using (var stream = File.OpenRead(path))
            {
                outcome = await engine.AuthenticateAsync(stream, envelope, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteAsync(parseResult.GetValue(json) ? ToJson(outcome) : OutcomeText.Format(outcome)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    internal static string DefaultHelo(string mailFrom)
    {
        var at = mailFrom.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : mailFrom[(at + 1)..].TrimEnd('>');
        return domain.Length > 0 ? domain : "localhost";
    }

    // Relaxed escaping: terminal output, not HTML; reasons quote record text with "'".
    internal static string ToJson(AuthenticationOutcome outcome)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            OutcomeJson.Write(writer, outcome);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
