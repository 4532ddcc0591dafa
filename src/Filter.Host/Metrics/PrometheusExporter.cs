using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Filter.Host.Metrics;

/// <summary>
/// Listens to one <see cref="Meter"/> and keeps running totals that <see cref="Write"/> renders in
/// the Prometheus text exposition format (version 0.0.4): counters as <c>counter</c>, up-down
/// counters as <c>gauge</c>, histograms with cumulative <c>_bucket{le=...}</c>, <c>_sum</c> and
/// <c>_count</c>. Thread-safe; one short lock per measurement.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    // Seconds; an end-of-message answer is expected well under a millisecond with warm DNS, and
    // the upper buckets show DNS timeouts (2 s default) and MTA milter timeouts.
    private static readonly double[] s_bucketBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Family> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<LabelKey, string> _labels = [];

    // A bound in case an instrument ever gets an unbounded tag value: beyond it, format each time.
    private const int MaxCachedLabelSets = 1024;

    public PrometheusExporter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                Family family;
                lock (_lock)
                {
                    if (!_families.TryGetValue(instrument.Name, out family!))
                    {
                        family = new Family(instrument);
                        _families.Add(instrument.Name, family);
                    }
                }

                // The family rides along as the measurement state: no name lookup per measurement.
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record((Family)state!, value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record((Family)state!, value, tags));
        _listener.Start();
    }

    /// <summary>Writes every series in the text format.</summary>
    public void Write(StringBuilder output)
    {
        lock (_lock)
        {
            foreach (Family family in _families.Values)
            {
                family.Write(output);
            }
        }
    }

    /// <summary>The whole exposition as text.</summary>
    public string Render()
    {
        var output = new StringBuilder(2048);
        Write(output);
        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Family family, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_lock)
        {
            family.Add(Labels(tags), value);
        }
    }

    /// <summary>
    /// The label text for a tag set, formatted once and then reused: the daemon's tag sets are few
    /// (verdicts, result words, DNS types), and a measurement per message must not build strings.
    /// </summary>
    private string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        if (tags.Length > LabelKey.MaxTags)
        {
            return FormatLabels(tags);
        }

        var key = new LabelKey(tags);
        if (!_labels.TryGetValue(key, out string? labels))
        {
            labels = FormatLabels(tags);
            if (_labels.Count < MaxCachedLabelSets)
            {
                _labels.Add(key, labels);
            }
        }

        return labels;
    }

    private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            builder.Append(builder.Length == 0 ? '{' : ',').Append(tag.Key).Append("=\"");
            // Exposition format: backslash, double quote and line feed are escaped in label values.
            foreach (char c in Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                _ = c switch
                {
                    '\\' => builder.Append("\\\\"),
                    '"' => builder.Append("\\\""),
                    '\n' => builder.Append("\\n"),
                    _ => builder.Append(c),
                };
            }

            builder.Append('"');
        }

        return builder.Append('}').ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Family(Instrument instrument)
    {
        private readonly SortedDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly bool _histogram = instrument is Histogram<double> or Histogram<long>;
        private readonly string _type = instrument switch
        {
            Histogram<double> or Histogram<long> => "histogram",
            UpDownCounter<long> or UpDownCounter<double> => "gauge",
            _ => "counter",
        };

        public void Add(string labels, double value)
        {
            if (!_series.TryGetValue(labels, out Series? series))
            {
                series = new Series(_histogram ? new long[s_bucketBounds.Length] : null);
                _series.Add(labels, series);
            }

            series.Sum += value;
            series.Count++;
            if (series.Buckets is not null)
            {
                for (int i = 0; i < s_bucketBounds.Length; i++)
                {
                    if (value <= s_bucketBounds[i])
                    {
                        series.Buckets[i]++;
                    }
                }
            }
        }

        public void Write(StringBuilder output)
        {
            string name = instrument.Name;
            if (instrument.Description is { Length: > 0 } help)
            {
                output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            }

            output.Append("# TYPE ").Append(name).Append(' ').Append(_type).Append('\n');
            if (_series.Count == 0 && !_histogram)
            {
                // A family with no measurement yet still shows, at zero, so dashboards find it.
                output.Append(name).Append(" 0\n");
            }

            foreach ((string labels, Series series) in _series)
            {
                if (series.Buckets is null)
                {
                    output.Append(name).Append(labels).Append(' ').Append(Number(series.Sum)).Append('\n');
                    continue;
                }

                string inner = labels.Length == 0 ? string.Empty : labels[1..^1] + ",";
                for (int i = 0; i < s_bucketBounds.Length; i++)
                {
                    output.Append(name).Append("_bucket{").Append(inner).Append("le=\"").Append(Number(s_bucketBounds[i])).Append("\"} ")
                        .Append(series.Buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                output.Append(name).Append("_bucket{").Append(inner).Append("le=\"+Inf\"} ").Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                output.Append(name).Append("_sum").Append(labels).Append(' ').Append(Number(series.Sum)).Append('\n');
                output.Append(name).Append("_count").Append(labels).Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;

        public double Sum { get; set; }

        public long Count { get; set; }
    }

    /// <summary>Up to three tags by key and value (value equality, so equal strings match).</summary>
    private readonly record struct LabelKey(string? Key0, object? Value0, string? Key1, object? Value1, string? Key2, object? Value2)
    {
        public const int MaxTags = 3;

        public LabelKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
            : this(
                tags[0].Key,
                tags[0].Value,
                tags.Length > 1 ? tags[1].Key : null,
                tags.Length > 1 ? tags[1].Value : null,
                tags.Length > 2 ? tags[2].Key : null,
                tags.Length > 2 ? tags[2].Value : null)
        {
        }
    }
}
