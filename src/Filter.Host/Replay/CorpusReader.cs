using System.Globalization;
using System.Net;
using Filter.Engine.Pipeline;
using Filter.Host.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Filter.Host.Replay;

/// <summary>
/// Reads a corpus folder. The manifest:
/// <code>
/// zones: [zones/corpus.zone]          # default: every zones/*.zone no entry names as its own
/// policy: policy.yaml                 # default: policy.yaml when present
/// messages:
///   - file: messages/dmarc-reject.eml
///     description: p=reject, nothing aligned
///     zones: [zones/dmarc-reject.zone]  # optional: this entry's own DNS instead of the shared zones
///     policy: policies/p1.yaml        # optional: this entry's own policy (--policy still overrides)
///     client-ip: 198.51.100.7
///     client-name: mta.outside.example  # optional: the name the MTA resolved for the client
///     helo: mta.outside.example
///     mail-from: bounce@bank.example  # "" for the null sender
///     rcpt: [user@receiver.example]
///     auth-user: alice                # optional: an authenticated submitter
///     queue-id: Q1                    # optional
///     expect: { verdict: reject, spf: fail, dkim: [none], dmarc: fail }
///     # also possible: reason: "..." (the verdict's, exact) and
///     # authentication-results: "..." (our header's value, exact); recorded entries carry both
/// </code>
/// A recording folder (<see cref="Recording.CorpusEntryWriter"/>) is such a corpus: each entry names
/// its own zone file and the policy in force when it was recorded.
/// A bad manifest gives errors with line and column, never an exception.
/// </summary>
internal static class CorpusReader
{
    public static Corpus? Read(string directory, List<string> errors)
    {
        var manifestPath = Path.Combine(directory, Corpus.ManifestName);
        if (!File.Exists(manifestPath))
        {
            errors.Add($"{manifestPath}: file not found");
            return null;
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(manifestPath))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                errors.Add($"{manifestPath}: expected one YAML mapping with a 'messages' list");
                return null;
            }

            root = mapping;
        }
        catch (YamlException exception)
        {
            errors.Add($"{manifestPath}:{exception.Start.Line}:{exception.Start.Column}: {exception.Message}");
            return null;
        }

        var context = new Context(manifestPath, errors);
        var zones = new List<string>();
        if (root.Children.TryGetValue("zones", out var zoneNode))
        {
            foreach (var zone in context.List(zoneNode))
            {
                zones.Add(Path.Combine(directory, zone));
            }
        }
        var sharedZonesFromFolder = zoneNode is null && System.IO.Directory.Exists(Path.Combine(directory, "zones"));

        string? policy = root.Children.TryGetValue("policy", out var policyNode) ? Path.Combine(directory, context.Scalar(policyNode)) : null;
        if (policy is null && File.Exists(Path.Combine(directory, "policy.yaml")))
        {
            policy = Path.Combine(directory, "policy.yaml");
        }

        var entries = new List<CorpusEntry>();
        if (!root.Children.TryGetValue("messages", out var messages) || messages is not YamlSequenceNode sequence)
        {
            errors.Add($"{manifestPath}:{root.Start.Line}:{root.Start.Column}: expected a 'messages' list");
            return null;
        }

        foreach (var item in sequence)
        {
            if (item is not YamlMappingNode message)
            {
                context.Error(item, "expected a mapping with at least 'file'");
                continue;
            }

            var entry = ReadEntry(directory, message, context);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        if (sharedZonesFromFolder)
        {
            // Every zones/*.zone except the entries' own: recorded entries each saw their own DNS, and two
            // recordings may contradict each other (a timeout, later an answer), so they never merge.
            var own = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                foreach (var file in entry.ZoneFiles ?? [])
                {
                    own.Add(Path.GetFullPath(file));
                }
            }

            var found = System.IO.Directory.GetFiles(Path.Combine(directory, "zones"), "*.zone");
            Array.Sort(found, StringComparer.Ordinal);
            foreach (var file in found)
            {
                if (!own.Contains(Path.GetFullPath(file)))
                {
                    zones.Add(file);
                }
            }
        }

        return errors.Count == 0 ? new Corpus(directory, zones, policy, entries) : null;
    }

    private static CorpusEntry? ReadEntry(string directory, YamlMappingNode message, Context context)
    {
        string? file = null;
        string? description = null;
        var clientIp = IPAddress.Parse(CheckCommand.DefaultClientIp);
        string? helo = null;
        var mailFrom = string.Empty;
        var rcpt = new List<string>();
        string? authUser = null;
        string? queueId = null;
        string? clientName = null;
        List<string>? entryZones = null;
        string? entryPolicy = null;
        CorpusExpectation? expect = null;
        foreach (var (keyNode, value) in message.Children)
        {
            var key = context.Scalar(keyNode);
            switch (key)
            {
                case "file": file = context.Scalar(value); break;
                case "description": description = context.Scalar(value); break;
                case "helo": helo = context.Scalar(value); break;
                case "mail-from": mailFrom = context.Scalar(value); break;
                case "rcpt": rcpt.AddRange(context.List(value)); break;
                case "auth-user": authUser = context.Scalar(value); break;
                case "queue-id": queueId = context.Scalar(value); break;
                case "expect": expect = ReadExpectation(value, context); break;
                case "client-name": clientName = context.Scalar(value); break;
                case "zones": entryZones = context.List(value).ConvertAll(zone => Path.Combine(directory, zone)); break;
                case "policy": entryPolicy = Path.Combine(directory, context.Scalar(value)); break;
                case "client-ip":
                    if (!SpfCommand.TryParseAddress(context.Scalar(value), out clientIp, out var problem))
                    {
                        context.Error(value, problem);
                    }

                    break;
                default:
                    context.Error(keyNode, $"unknown key '{key}' (expected file, description, zones, policy, client-ip, client-name, helo, mail-from, rcpt, auth-user, queue-id, expect)");
                    break;
            }
        }

        if (file is null)
        {
            context.Error(message, "missing 'file'");
            return null;
        }

        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            context.Error(message, $"message file '{file}' not found");
            return null;
        }

        foreach (var zone in entryZones ?? [])
        {
            if (!File.Exists(zone))
            {
                context.Error(message, $"zone file '{Path.GetRelativePath(directory, zone)}' not found");
                return null;
            }
        }

        if (entryPolicy is not null && !File.Exists(entryPolicy))
        {
            context.Error(message, $"policy file '{Path.GetRelativePath(directory, entryPolicy)}' not found");
            return null;
        }

        var client = new ClientConnection(clientIp, string.IsNullOrEmpty(clientName) ? null : clientName, authUser);
        var envelope = new MessageEnvelope(client, helo ?? CheckCommand.DefaultHelo(mailFrom), mailFrom, rcpt, queueId);
        return new CorpusEntry(file, path, envelope, expect, description, entryZones, entryPolicy);
    }

    private static CorpusExpectation? ReadExpectation(YamlNode node, Context context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, "expected a mapping of verdict, spf, dkim, dmarc");
            return null;
        }

        string? verdict = null, spf = null, dmarc = null, reason = null, authenticationResults = null;
        IReadOnlyList<string>? dkim = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = context.Scalar(keyNode);
            switch (key)
            {
                case "verdict":
                    verdict = context.Scalar(value).ToLowerInvariant();
                    if (verdict is not ("accept" or "quarantine" or "reject" or "tempfail"))
                    {
                        context.Error(value, $"verdict '{verdict}': expected accept, quarantine, reject or tempfail");
                    }

                    break;
                case "spf": spf = context.Scalar(value).ToLowerInvariant(); break;
                case "dmarc": dmarc = context.Scalar(value).ToLowerInvariant(); break;
                case "dkim": dkim = context.List(value).ConvertAll(static s => s.ToLowerInvariant()); break;
                case "reason": reason = context.Scalar(value); break;
                case "authentication-results": authenticationResults = context.Scalar(value); break;
                default: context.Error(keyNode, $"unknown expectation '{key}' (expected verdict, spf, dkim, dmarc, reason, authentication-results)"); break;
            }
        }

        return new CorpusExpectation(verdict, spf, dkim, dmarc, reason, authenticationResults);
    }

    private sealed class Context(string file, List<string> errors)
    {
        public void Error(YamlNode node, string message) =>
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{node.Start.Line}:{node.Start.Column}: {message}"));

        public string Scalar(YamlNode node)
        {
            if (node is YamlScalarNode { Value: { } value })
            {
                return value;
            }

            Error(node, "expected a single value");
            return string.Empty;
        }

        public List<string> List(YamlNode node)
        {
            if (node is YamlScalarNode)
            {
                return [Scalar(node)];
            }

            var list = new List<string>();
            if (node is YamlSequenceNode sequence)
            {
                foreach (var item in sequence)
                {
                    list.Add(Scalar(item));
                }
            }
            else
            {
                Error(node, "expected a list");
            }

            return list;
        }
    }
}
