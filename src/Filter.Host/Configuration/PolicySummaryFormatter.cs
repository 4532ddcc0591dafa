using System.Globalization;
using System.Text;
using Filter.Engine.Dmarc;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary>
/// Writes the effective policy as one line per setting, <c>key  value</c>, with <c>(default)</c>
/// after each value that equals the built-in default (whether the file leaves the key out or
/// repeats the default), so an admin sees exactly what the daemon will do and what differs from a
/// stock installation. The keys are the file's own dotted paths.
/// </summary>
internal static class PolicySummaryFormatter
{
    private const int KeyWidth = 30;

    /// <summary>The summary of <paramref name="result"/>; <paramref name="defaults"/> is the policy of an empty file.</summary>
    public static string Format(PolicyLoadResult result, FilterPolicy defaults)
    {
        var policy = result.Policy ?? throw new ArgumentException("only a loaded policy has a summary", nameof(result));
        var defaultValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Settings(defaults))
        {
            defaultValues[key] = value;
        }

        var builder = new StringBuilder();
        builder.Append("# ").Append(result.File).Append(": valid. Effective policy; \"(default)\" marks built-in defaults.\n");
        foreach (var (key, value) in Settings(policy))
        {
            builder.Append(key.PadRight(KeyWidth)).Append(' ').Append(value);
            if (defaultValues.TryGetValue(key, out var defaultValue) && defaultValue == value)
            {
                builder.Append(key == "authserv-id" ? "  (default: host name)" : "  (default)");
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Every setting of <paramref name="policy"/> as (dotted key, value text), in file order.</summary>
    internal static List<(string Key, string Value)> Settings(FilterPolicy policy)
    {
        var lines = new List<(string Key, string Value)>();
        void Line(string key, string value) => lines.Add((key, value));

        Line("authserv-id", policy.AuthservId);
        Line("listen", Join(policy.Listen, FormatSocket));

        Line("dns.nameservers", policy.Dns.Nameservers.Count == 0 ? "system resolvers (/etc/resolv.conf)" : Join(policy.Dns.Nameservers, MetricsBinder.Format));
        Line("dns.timeout", DurationText.Format(policy.Dns.Timeout));
        Line("dns.retries", Number(policy.Dns.Retries));
        Line("dns.cache-size", policy.Dns.CacheSize == 0 ? "0 (cache off)" : Number(policy.Dns.CacheSize));

        Line("dmarc.mode", policy.Dmarc.Mode == DmarcMode.Rfc9989 ? "rfc9989" : "rfc7489");
        Line("dmarc.public-suffix-list", policy.Dmarc.PublicSuffixListPath ?? "none (not used in rfc9989 mode)");
        Line("dmarc.multiple-from", policy.Dmarc.MultipleFrom == MultipleFromHandling.Reject ? "reject" : "strictest");

        Line("trusted.networks", policy.Trust.Networks.Count == 0 ? "none" : Join(policy.Trust.Networks, n => n.ToString()));
        Line("trusted.authenticated-clients", Bool(policy.Trust.BypassAuthenticated));

        Line("actions.dmarc-reject", policy.Actions.DmarcReject switch
        {
            DmarcRejectAction.Reject => "reject",
            DmarcRejectAction.Quarantine => "quarantine",
            _ => "accept-and-tag",
        });
        Line("actions.dmarc-quarantine", policy.Actions.DmarcQuarantine switch
        {
            DmarcQuarantineAction.Quarantine => "quarantine",
            DmarcQuarantineAction.Tag => "tag",
            _ => "accept",
        });
        Line("actions.temperror", Temporary(policy.Actions.Temperror));
        Line("actions.engine-error", Temporary(policy.Actions.EngineError));
        Line("actions.tag-header", policy.Actions.TagHeader);

        Line("replies.dmarc-reject", policy.Replies.DmarcReject.ToString());
        Line("replies.spf-reject", policy.Replies.SpfReject.ToString());
        Line("replies.tempfail", policy.Replies.Tempfail.ToString());

        Line("spf.on-fail", policy.Spf.OnFail == SpfFailAction.None ? "none (DMARC decides)" : "reject");
        Line("spf.check-helo", Bool(policy.Spf.CheckHelo));
        Line("dkim.min-rsa-bits", Number(policy.Dkim.MinimumRsaBits));
        Line("dkim.clock-skew", DurationText.Format(policy.Dkim.ClockSkew));

        if (policy.Overrides.Items.Count == 0)
        {
            Line("overrides", "none");
        }
        else
        {
            for (var i = 0; i < policy.Overrides.Items.Count; i++)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"overrides[{i}]"), FormatOverride(policy.Overrides.Items[i]));
            }
        }

        Line("limits.header-bytes", Number(policy.Limits.HeaderBytes));
        Line("limits.header-count", Number(policy.Limits.HeaderCount));
        Line("limits.packet-size", Number(policy.Limits.PacketSize));
        Line("limits.dkim-signatures", Number(policy.Limits.DkimSignatures));
        Line("limits.spf-lookups", Number(policy.Limits.SpfLookups));
        Line("limits.spf-void-lookups", Number(policy.Limits.SpfVoidLookups));
        Line("limits.dmarc-tree-walk", Number(policy.Limits.DmarcTreeWalk));
        Line("limits.sessions", Number(policy.Limits.Sessions));

        Line("metrics.listen", policy.Metrics.Endpoint is null ? "off" : MetricsBinder.Format(policy.Metrics.Endpoint));
        Line("metrics.allow-non-loopback", Bool(policy.Metrics.AllowNonLoopback));

        Line("recording.enabled", Bool(policy.Recording.Enabled));
        Line("recording.directory", policy.Recording.Directory ?? "none");
        Line("recording.sample-rate", policy.Recording.SampleRate.ToString("0.######", CultureInfo.InvariantCulture));
        return lines;
    }

    private static string FormatSocket(ListenSocket socket) =>
        socket.Kind == ListenSocketKind.Unix
            ? socket + " mode " + SocketSpecText.FormatMode(socket.Mode ?? ListenSocket.DefaultUnixMode)
            : socket.ToString();

    private static string FormatOverride(DomainOverride item)
    {
        var identity = item.Identity == OverrideIdentity.FromDomain ? "from-domain" : "mail-from-domain";
        var action = item.Action switch
        {
            OverrideAction.Accept => "accept",
            OverrideAction.Reject => "reject",
            OverrideAction.Lower => "lower",
            _ => "raise",
        };
        var note = item.Note is null ? "" : "  # " + item.Note;
        return $"{identity} {item.Pattern} -> {action}{note}";
    }

    private static string Temporary(TemporaryFailureAction action) => action == TemporaryFailureAction.Tempfail ? "tempfail" : "accept";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Join<T>(IReadOnlyList<T> items, Func<T, string> format)
    {
        var parts = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            parts[i] = format(items[i]);
        }

        return string.Join(", ", parts);
    }
}
