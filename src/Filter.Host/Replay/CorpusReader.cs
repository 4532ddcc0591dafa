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
/// zones: [zones/corpus.zone]          # default: every zones/*.zone
/// policy: policy.yaml                 # default: policy.yaml when present
/// messages:
///   - file: messages/dmarc-reject.eml
///     description: p=reject, nothing aligned
///     client-ip: 198.51.100.7
///     helo: mta.outside.example
///     mail-from: bounce@bank.example  # "" for the null sender
///     rcpt: [user@receiver.example]
///     auth-user: alice                # optional: an authenticated submitter
///     queue-id: Q1                    # optional
///     expect: { verdict: reject, spf: fail, dkim: [none], dmarc: fail }
/// </code>
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
        else if (System.IO.Directory.Exists(Path.Combine(directory, "zones")))
        {
            var found = System.IO.Directory.GetFiles(Path.Combine(directory, "zones"), "*.zone");
            Array.Sort(found, StringComparer.Ordinal);
            zones.AddRange(found);
        }

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
                case "client-ip":
                    if (!SpfCommand.TryParseAddress(context.Scalar(value), out clientIp, out var problem))
                    {
                        context.Error(value, problem);
                    }

                    break;
                default:
                    context.Error(keyNode, $"unknown key '{key}' (expected file, description, client-ip, helo, mail-from, rcpt, auth-user, queue-id, expect)");
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

        var envelope = new MessageEnvelope(new ClientConnection(clientIp, null, authUser), helo ?? CheckCommand.DefaultHelo(mailFrom), mailFrom, rcpt, queueId);
        return new CorpusEntry(file, path, envelope, expect, description);
    }

    private static CorpusExpectation? ReadExpectation(YamlNode node, Context context)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, "expected a mapping of verdict, spf, dkim, dmarc");
            return null;
        }

        string? verdict = null, spf = null, dmarc = null;
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
                default: context.Error(keyNode, $"unknown expectation '{key}' (expected verdict, spf, dkim, dmarc)"); break;
            }
        }

        return new CorpusExpectation(verdict, spf, dkim, dmarc);
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
