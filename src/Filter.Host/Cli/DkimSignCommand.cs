using System.CommandLine;
using System.Text;
using Filter.Engine.Dkim;

namespace Filter.Host.Cli;

/// <summary>
/// `authfilter dkim sign --key PEM --domain D --selector S FILE`: prints the message with a new
/// DKIM-Signature field on top (or only the field, with --header-only). The key is an RSA (PKCS#1 or
/// PKCS#8) or Ed25519 (PKCS#8) private key in PEM; --print-record shows the TXT record to publish.
/// </summary>
internal static class DkimSignCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The message to sign." };
        var key = new Option<FileInfo>("--key") { Description = "Private key, PEM (RSA or Ed25519).", Required = true };
        var domain = new Option<string>("--domain") { Description = "d= (signing domain).", Required = true };
        var selector = new Option<string>("--selector") { Description = "s= (selector).", Required = true };
        var headers = new Option<string?>("--headers") { Description = "Colon-separated names of the fields to sign (From is always signed)." };
        var canonicalization = new Option<string>("--canonicalization") { Description = "c=: header/body, each simple or relaxed.", DefaultValueFactory = _ => "relaxed/relaxed" };
        var overSign = new Option<bool>("--over-sign") { Description = "Sign each field once more than it occurs, so added fields break the signature." };
        var bodyLength = new Option<bool>("--body-length") { Description = "Add l= (the canonical body length)." };
        var headerOnly = new Option<bool>("--header-only") { Description = "Print only the DKIM-Signature field." };
        var outputFile = new Option<FileInfo?>("--output") { Description = "Write the signed message to this file, byte for byte (stdout is text)." };
        var printRecord = new Option<bool>("--print-record") { Description = "Print the key record to publish at SELECTOR._domainkey.DOMAIN and stop." };
        var command = new Command("sign", "Sign a message with DKIM (rsa-sha256 or ed25519-sha256).")
        {
            file, key, domain, selector, headers, canonicalization, overSign, bodyLength, headerOnly, printRecord, outputFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            DkimSigningKey signingKey;
            try
            {
                signingKey = DkimSigningKey.FromPem(await File.ReadAllTextAsync(parseResult.GetValue(key)!.FullName, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync($"--key: {exception.Message}");
                return 2;
            }

            using (signingKey)
            {
                if (parseResult.GetValue(printRecord))
                {
                    await output.WriteLineAsync($"{parseResult.GetValue(selector)}._domainkey.{parseResult.GetValue(domain)}. IN TXT {QuotedStrings(signingKey.KeyRecord)}");
                    return 0;
                }

                if (!TryParseCanonicalization(parseResult.GetValue(canonicalization)!, out var headerCanon, out var bodyCanon))
                {
                    await error.WriteLineAsync("--canonicalization: expected simple or relaxed, e.g. relaxed/simple");
                    return 2;
                }

                var options = new DkimSignerOptions
                {
                    Domain = parseResult.GetValue(domain)!,
                    Selector = parseResult.GetValue(selector)!,
                    Key = signingKey,
                    HeaderCanonicalization = headerCanon,
                    BodyCanonicalization = bodyCanon,
                    OverSign = parseResult.GetValue(overSign),
                    IncludeBodyLength = parseResult.GetValue(bodyLength),
                };
                if (parseResult.GetValue(headers) is { } names)
                {
                    options = new DkimSignerOptions
                    {
                        Domain = options.Domain, Selector = options.Selector, Key = signingKey,
                        HeaderCanonicalization = headerCanon, BodyCanonicalization = bodyCanon,
                        OverSign = options.OverSign, IncludeBodyLength = options.IncludeBodyLength,
                        SignedHeaders = names.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    };
                }

                var message = parseResult.GetValue(file)!;
                if (!message.Exists)
                {
                    await error.WriteLineAsync($"{message.FullName}: no such file");
                    return 2;
                }

                string field;
                await using (var stream = message.OpenRead())
                {
                    field = await new DkimSigner(options).SignAsync(stream, cancellationToken);
                }

                if (parseResult.GetValue(outputFile) is { } target)
                {
                    var original = await File.ReadAllBytesAsync(message.FullName, cancellationToken);
                    byte[] signed = [.. Encoding.Latin1.GetBytes(field + "\r\n"), .. original];
                    await File.WriteAllBytesAsync(target.FullName, signed, cancellationToken);
                    return 0;
                }

                await output.WriteAsync(field + "\r\n");
                if (!parseResult.GetValue(headerOnly))
                {
                    // Latin-1 round-trips every byte, so the message is written back unchanged.
                    await output.WriteAsync(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(message.FullName, cancellationToken)));
                }

                return 0;
            }
        });
        return command;
    }

    /// <summary>TXT character-strings hold at most 255 octets (RFC 1035 §3.3); longer records are split.</summary>
    private static string QuotedStrings(string record)
    {
        var parts = new List<string>();
        for (var i = 0; i < record.Length; i += 255)
        {
            parts.Add("\"" + record.Substring(i, Math.Min(255, record.Length - i)) + "\"");
        }

        return string.Join(' ', parts);
    }

    private static bool TryParseCanonicalization(string text, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        var parts = text.Split('/');
        header = DkimCanonicalization.Relaxed;
        body = DkimCanonicalization.Simple;
        return parts.Length is 1 or 2
            && Enum.TryParse(parts[0], ignoreCase: true, out header)
            && (parts.Length == 1 ? (body = DkimCanonicalization.Simple) == DkimCanonicalization.Simple : Enum.TryParse(parts[1], ignoreCase: true, out body));
    }
}
