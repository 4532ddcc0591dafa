using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// <c>listen</c>: one socket or a list of them. An item is a socket string, or a mapping with
/// <c>socket</c> and (for unix sockets) <c>mode</c>.
/// </summary>
internal static class ListenBinder
{
    private static readonly string[] ItemKeys = ["socket", "mode"];

    public static IReadOnlyList<ListenSocket> Bind(ConfigNode node, BindingContext context)
    {
        var items = node is ConfigSequence sequence ? sequence.Items : [node];
        if (items.Count == 0)
        {
            context.Error(node, "listen: expected at least one socket, e.g. [inet:127.0.0.1:8891]");
            return FilterPolicy.Default.Listen;
        }

        var sockets = new List<ListenSocket>();
        var seen = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = node is ConfigSequence ? $"listen[{i}]" : "listen";
            var socket = BindItem(items[i], path, context);
            if (socket is null)
            {
                continue;
            }

            var key = socket.ToString();
            if (seen.TryGetValue(key, out var first))
            {
                context.Error(items[i], $"{path}: {key} is listed twice (first at line {first.Line})");
                continue;
            }

            seen.Add(key, items[i]);
            sockets.Add(socket);
            if (socket.Endpoint is { } endpoint && !AddressText.IsLoopback(endpoint.Address))
            {
                // The milter protocol has no authentication: whoever reaches the port can ask for verdicts.
                context.Warning(items[i], $"{path}: {socket} is reachable from other hosts; the milter protocol has no authentication, so allow only your MTAs to connect (firewall)");
            }
        }

        return sockets.Count == 0 ? FilterPolicy.Default.Listen : sockets;
    }

    private static ListenSocket? BindItem(ConfigNode item, string path, BindingContext context)
    {
        if (item is ConfigScalar scalar)
        {
            return ParseSpec(scalar, path, context);
        }

        var section = context.Section(item, path, ItemKeys);
        if (section is null)
        {
            return null;
        }

        var specNode = section.Get("socket");
        if (specNode is null)
        {
            context.Error(item, $"{path}: missing 'socket' ({SocketSpecText.Expected})");
            return null;
        }

        var socket = specNode is ConfigScalar spec
            ? ParseSpec(spec, path + ".socket", context)
            : Report(context, specNode, $"{path}.socket: expected {SocketSpecText.Expected}, got {specNode.Describe()}");
        if (section.Get("mode") is not { } modeNode || socket is null)
        {
            return socket;
        }

        if (socket.Kind != ListenSocketKind.Unix)
        {
            context.Error(modeNode, $"{path}.mode: a file mode applies only to a unix socket, not to {socket}");
            return socket;
        }

        if (modeNode is not ConfigScalar modeScalar || !SocketSpecText.TryParseMode(modeScalar.Value, out var mode))
        {
            context.Error(modeNode, $"{path}.mode: expected an octal file mode such as \"0660\", got {modeNode.Describe()}");
            return socket;
        }

        return socket with { Mode = mode };
    }

    private static ListenSocket? ParseSpec(ConfigScalar scalar, string path, BindingContext context)
    {
        var error = SocketSpecText.TryParse(scalar.Value, out var socket);
        return error is null ? socket : Report(context, scalar, path + ": " + error);
    }

    private static ListenSocket? Report(BindingContext context, ConfigNode node, string message)
    {
        context.Error(node, message);
        return null;
    }
}
