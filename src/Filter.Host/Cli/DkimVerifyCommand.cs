using System.CommandLine;
using System.Text.Json;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;

namespace Filter.Host.Cli;

/// <summary>
/// `authfilter dkim verify FILE [--zone FILE...] [--json]`: verifies every DKIM-Signature of a stored
/// message with keys from zone files. Exit code 0 when at least one signature passes, 1 when none
/// does, 2 when the input cannot be read.
/// </summary>
internal static class DkimVerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The message (RFC 5322, CRLF or LF line endings)." };
        var zones = new Option<FileInfo[]>("--zone")
        {
            Description = "Zone file (RFC 1035 master file) with the key records; repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print a JSON object with a 'signatures' array." };
        var command = new Command("verify", "Verify the DKIM signatures of a message.") { file, zones, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var message = parseResult.GetValue(file)!;
            var zone = LoadZones(parseResult.GetValue(zones)!, error);
            if (zone is null)
            {
                return 2;
            }

            if (!message.Exists)
            {
                await error.WriteLineAsync($"{message.FullName}: no such file");
                return 2;
            }

            var verifier = new DkimVerifier(new ZoneResolver(zone));
            await using var stream = message.OpenRead();
            var results = await verifier.VerifyAsync(stream, cancellationToken);
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(ToJson(message.Name, results));
            }
            else
            {
                foreach (var result in results)
                {
                    await output.WriteLineAsync(ToLine(result));
                }
            }

            return results.Any(r => r.Code == DkimResultCode.Pass) ? 0 : 1;
        });
        return command;
    }

    /// <summary>All zone files into one zone ($INCLUDE of each), or null after printing the errors.</summary>
    internal static DnsZone? LoadZones(IReadOnlyList<FileInfo> files, TextWriter error)
    {
        var text = string.Join('\n', files.Select(f => "$INCLUDE " + f.FullName)) + "\n";
        var result = ZoneFileReader.Read(text, new ZoneFileReaderOptions { FileName = "--zone" });
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem.ToString());
        }

        return result.Succeeded ? result.Zone : null;
    }

    internal static string Word(DkimResultCode code) => code.ToString().ToLowerInvariant();

    private static string ToLine(DkimSignatureResult result)
    {
        if (result.Code == DkimResultCode.None)
        {
            return $"none: {result.Reason}";
        }

        var unsigned = result.UnsignedBodyBytes > 0 ? $" unsigned-body-bytes={result.UnsignedBodyBytes}" : string.Empty;
        return $"{Word(result.Code)} header.d={result.Domain} header.s={result.Selector} header.a={result.Algorithm} header.b={result.SignaturePrefix}{unsigned}: {result.Reason}";
    }

    private static string ToJson(string file, IReadOnlyList<DkimSignatureResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", file);
            writer.WriteStartArray("signatures");
            foreach (var result in results)
            {
                if (result.Code == DkimResultCode.None)
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("result", Word(result.Code));
                writer.WriteString("reason", result.Reason);
                writer.WriteString("domain", result.Domain);
                writer.WriteString("selector", result.Selector);
                writer.WriteString("algorithm", result.Algorithm);
                writer.WriteString("identifier", result.Identifier);
                writer.WriteString("headerB", result.SignaturePrefix);
                if (result.KeyBits is { } bits)
                {
                    writer.WriteNumber("keyBits", bits);
                }
                else
                {
                    writer.WriteNull("keyBits");
                }

                if (result.BodyLength is { } length)
                {
                    writer.WriteNumber("bodyLength", length);
                }

                writer.WriteNumber("unsignedBodyBytes", result.UnsignedBodyBytes);
                writer.WriteBoolean("testing", result.Testing);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("result", results.Count == 1 && results[0].Code == DkimResultCode.None ? "none" : Word(Best(results)));
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DkimResultCode Best(IReadOnlyList<DkimSignatureResult> results)
    {
        foreach (var result in results)
        {
            if (result.Code == DkimResultCode.Pass)
            {
                return DkimResultCode.Pass;
            }
        }

        return results[0].Code;
    }
}
