using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Filter.Host.Configuration;

/// <summary>
/// Reads YAML text into <see cref="ConfigNode"/>s by walking YamlDotNet's parser events, keeping the
/// line and column of every node. It also reports what YamlDotNet's object model would throw on or
/// hide: syntax errors (with their position), duplicate keys, non-scalar keys, tags, several
/// documents. Anchors and aliases are resolved, so an alias binds as a copy of its anchor.
/// </summary>
internal static class YamlConfigReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    // A policy file nests three levels; the bound keeps the recursive walk far from a stack overflow
    // on a pathological file ("[[[[...").
    private const int MaximumDepth = 32;

    /// <summary>
    /// The root node, or null for a file with no document or an empty one (all defaults).
    /// On a syntax error, the error is added to <paramref name="diagnostics"/> and null returned.
    /// </summary>
    public static ConfigNode? Read(string text, List<ConfigDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        var openFlows = new Stack<(Mark Start, char Bracket)>();
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, openFlows, diagnostics, 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                diagnostics.Add(Error(second.Start, "only one YAML document is allowed in a policy file"));
                return null;
            }

            parser.Consume<StreamEnd>();
            return root is ConfigScalar { IsNull: true } ? null : root;
        }
        catch (YamlException exception)
        {
            diagnostics.Add(SyntaxError(text, exception));
            return null;
        }
        catch (NestingTooDeepException exception)
        {
            diagnostics.Add(Error(exception.Mark, $"values are nested more than {MaximumDepth} levels deep; a policy file needs three"));
            return null;
        }
        catch (InvalidOperationException) when (openFlows.Count > 0)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some malformed flow
            // collections (a '[' left open before the next key). The file is untrusted input, so it
            // becomes a diagnostic at the bracket that was never closed.
            var (mark, bracket) = openFlows.Peek();
            diagnostics.Add(Error(mark, $"YAML syntax error: this '{bracket}' is never closed"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // The same scanner failure outside a flow collection: report the last event understood.
            var mark = parser.Current?.End ?? Mark.Empty;
            diagnostics.Add(Error(mark, "YAML syntax error: the parser cannot continue after this point"));
            return null;
        }
    }

    private static ConfigNode ReadNode(
        IParser parser,
        Dictionary<string, ConfigNode> anchors,
        Stack<(Mark Start, char Bracket)> openFlows,
        List<ConfigDiagnostic> diagnostics,
        int depth)
    {
        if (depth > MaximumDepth)
        {
            throw new NestingTooDeepException(parser.Current?.Start ?? Mark.Empty);
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target))
            {
                return target;
            }

            diagnostics.Add(Error(alias.Start, "unknown alias '*" + alias.Value.Value + "'"));
            return new ConfigScalar((int)alias.Start.Line, (int)alias.Start.Column, "", isPlain: true);
        }

        var nodeEvent = parser.Consume<NodeEvent>();
        CheckTag(nodeEvent, diagnostics);
        ConfigNode node = nodeEvent switch
        {
            Scalar scalar => new ConfigScalar(
                (int)scalar.Start.Line,
                (int)scalar.Start.Column,
                scalar.Value,
                scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty),
            SequenceStart => ReadSequence(parser, nodeEvent, anchors, openFlows, diagnostics, depth),
            MappingStart => ReadMapping(parser, nodeEvent, anchors, openFlows, diagnostics, depth),
            _ => throw new System.Diagnostics.UnreachableException("unexpected YAML event " + nodeEvent.GetType().Name),
        };

        if (!nodeEvent.Anchor.IsEmpty)
        {
            anchors[nodeEvent.Anchor.Value] = node;
        }

        return node;
    }

    private static ConfigSequence ReadSequence(
        IParser parser,
        NodeEvent start,
        Dictionary<string, ConfigNode> anchors,
        Stack<(Mark Start, char Bracket)> openFlows,
        List<ConfigDiagnostic> diagnostics,
        int depth)
    {
        var flow = start is SequenceStart { Style: SequenceStyle.Flow };
        if (flow)
        {
            openFlows.Push((start.Start, '['));
        }

        var items = new List<ConfigNode>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode(parser, anchors, openFlows, diagnostics, depth + 1));
        }

        if (flow)
        {
            openFlows.Pop();
        }

        return new ConfigSequence((int)start.Start.Line, (int)start.Start.Column, items);
    }

    private static ConfigMapping ReadMapping(
        IParser parser,
        NodeEvent start,
        Dictionary<string, ConfigNode> anchors,
        Stack<(Mark Start, char Bracket)> openFlows,
        List<ConfigDiagnostic> diagnostics,
        int depth)
    {
        var flow = start is MappingStart { Style: MappingStyle.Flow };
        if (flow)
        {
            openFlows.Push((start.Start, '{'));
        }

        var entries = new List<KeyValuePair<ConfigScalar, ConfigNode>>();
        var seen = new Dictionary<string, ConfigScalar>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(parser, anchors, openFlows, diagnostics, depth + 1);
            var value = ReadNode(parser, anchors, openFlows, diagnostics, depth + 1);
            if (keyNode is not ConfigScalar key)
            {
                diagnostics.Add(new ConfigDiagnostic(
                    ConfigSeverity.Error, keyNode.Line, keyNode.Column, "a key must be a plain word, not " + keyNode.Describe()));
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                // YAML 1.2 §3.2.1.1: keys of a mapping are unique. Reported, not silently overwritten.
                diagnostics.Add(new ConfigDiagnostic(
                    ConfigSeverity.Error, key.Line, key.Column,
                    $"duplicate key '{key.Value}' (first given at line {first.Line})"));
                continue;
            }

            seen.Add(key.Value, key);
            entries.Add(new(key, value));
        }

        if (flow)
        {
            openFlows.Pop();
        }

        return new ConfigMapping((int)start.Start.Line, (int)start.Start.Column, entries);
    }

    // Tags would let a file change how a value is read ("!!int"); the policy reads values by key, so
    // only "!!str" (make a plain scalar a string) is accepted.
    private static void CheckTag(NodeEvent nodeEvent, List<ConfigDiagnostic> diagnostics)
    {
        if (nodeEvent.Tag.IsEmpty || nodeEvent.Tag.IsNonSpecific || (nodeEvent is Scalar && nodeEvent.Tag.Value == StringTag))
        {
            return;
        }

        diagnostics.Add(Error(nodeEvent.Start, "YAML tag '" + nodeEvent.Tag.Value + "' is not used in a policy file; remove it"));
    }

    private static ConfigDiagnostic Error(Mark mark, string message) =>
        new(ConfigSeverity.Error, (int)mark.Line, (int)mark.Column, message);

    private static ConfigDiagnostic SyntaxError(string text, YamlException exception)
    {
        var start = exception.Start;
        var line = (int)start.Line;
        var column = (int)start.Column;

        // For a tab used as indentation YamlDotNet marks the start of the enclosing mapping; point
        // at the tab instead, since that is what the admin has to change (YAML 1.2 §6.1).
        if (exception.Message.Contains("tab", StringComparison.Ordinal))
        {
            var lines = text.Split('\n');
            for (var i = Math.Max(0, line - 1); i < lines.Length; i++)
            {
                var indent = 0;
                while (indent < lines[i].Length && lines[i][indent] == ' ')
                {
                    indent++;
                }

                if (indent < lines[i].Length && lines[i][indent] == '\t')
                {
                    line = i + 1;
                    column = indent + 1;
                    break;
                }
            }
        }

        return new ConfigDiagnostic(ConfigSeverity.Error, line, column, "YAML syntax error: " + SyntaxMessage(exception));
    }

    // YamlException.Message is "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): text"; the
    // position is reported separately, so only the text is kept.
    private static string SyntaxMessage(YamlException exception)
    {
        var message = exception.Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        separator = separator < 0 ? -1 : message.IndexOf("): ", separator + 3, StringComparison.Ordinal);
        return separator < 0 ? message : message[(separator + 3)..];
    }

    private sealed class NestingTooDeepException(Mark mark) : Exception("YAML nesting too deep")
    {
        public Mark Mark { get; } = mark;
    }
}
