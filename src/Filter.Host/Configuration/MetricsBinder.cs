using System.Globalization;
using System.Net;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// <c>metrics</c>: the Prometheus endpoint (a port, which means loopback, or ADDRESS:PORT) and the
/// flag that must be set to expose it beyond loopback.
/// </summary>
internal static class MetricsBinder
{
    public static MetricsSettings Bind(ConfigNode node, IReadOnlyList<ListenSocket> listen, BindingContext context)
    {
        var settings = new MetricsSettings();
        var section = context.Section(node, "metrics", "listen", "allow-non-loopback");
        if (section is null)
        {
            return settings;
        }

        if (section.Get("allow-non-loopback") is { } allowNode && context.ReadBool(allowNode, "metrics.allow-non-loopback") is { } allow)
        {
            settings = settings with { AllowNonLoopback = allow };
        }

        if (section.Get("listen") is not { } listenNode)
        {
            return settings;
        }

        var endpoint = ReadEndpoint(listenNode, context);
        if (endpoint is null)
        {
            return settings;
        }

        if (!AddressText.IsLoopback(endpoint.Address) && !settings.AllowNonLoopback)
        {
            context.Error(listenNode, $"metrics.listen: {Format(endpoint)} is not a loopback address; metrics reveal traffic, so set metrics.allow-non-loopback: true to expose them");
            return settings;
        }

        foreach (var socket in listen)
        {
            if (socket.Endpoint is { } milter && milter.Port == endpoint.Port
                && (milter.Address.Equals(endpoint.Address) || IsAny(milter.Address) || IsAny(endpoint.Address)))
            {
                context.Error(listenNode, $"metrics.listen: {Format(endpoint)} is the port of the milter socket {socket}");
                return settings;
            }
        }

        return settings with { Endpoint = endpoint };
    }

    private static IPEndPoint? ReadEndpoint(ConfigNode node, BindingContext context)
    {
        const string expected = "a port (served on 127.0.0.1) or ADDRESS:PORT such as 127.0.0.1:9464";
        if (node is not ConfigScalar scalar)
        {
            context.Error(node, $"metrics.listen: expected {expected}, got {node.Describe()}");
            return null;
        }

        if (scalar.IsPlain && int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            if (port is >= 1 and <= 65535)
            {
                return new IPEndPoint(IPAddress.Loopback, port);
            }

            context.Error(node, $"metrics.listen: port {scalar.Value} is out of range; expected 1 to 65535");
            return null;
        }

        var error = AddressText.TryParseEndpoint(scalar.Value, defaultPort: null, out var endpoint);
        if (error is null)
        {
            return endpoint;
        }

        context.Error(node, $"metrics.listen: {error}");
        return null;
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    internal static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
}
