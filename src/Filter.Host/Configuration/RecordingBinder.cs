using System.Globalization;
using Filter.Engine.Policy;

namespace Filter.Host.Configuration;

/// <summary><c>recording</c>: enabled, directory, sample-rate; an enabled recording needs its directory.</summary>
internal static class RecordingBinder
{
    public static RecordingSettings Bind(ConfigNode node, BindingContext context)
    {
        var settings = new RecordingSettings();
        var section = context.Section(node, "recording", "enabled", "directory", "sample-rate");
        if (section is null)
        {
            return settings;
        }

        var enabledNode = section.Get("enabled");
        if (enabledNode is not null && context.ReadBool(enabledNode, "recording.enabled") is { } enabled)
        {
            settings = settings with { Enabled = enabled };
        }

        if (section.Get("directory") is { } directoryNode
            && context.ReadString(directoryNode, "recording.directory", "a directory path") is { } directory)
        {
            settings = settings with { Directory = context.ResolvePath(directory) };
        }

        if (section.Get("sample-rate") is { } rateNode && ReadRate(rateNode, context) is { } rate)
        {
            settings = settings with { SampleRate = rate };
        }

        if (settings.Enabled && settings.Directory is null && section.Get("directory") is null)
        {
            context.Error(enabledNode!, "recording.enabled: recording needs recording.directory, where the entries are written");
        }

        return settings;
    }

    private static double? ReadRate(ConfigNode node, BindingContext context)
    {
        const string expected = "a fraction greater than 0 and at most 1, such as 0.01";
        if (node is ConfigScalar { IsPlain: true } scalar
            && double.TryParse(scalar.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
        {
            if (rate is > 0 and <= 1)
            {
                return rate;
            }

            context.Error(node, $"recording.sample-rate: {scalar.Value} is out of range; expected {expected}");
            return null;
        }

        context.Error(node, $"recording.sample-rate: expected {expected}, got {node.Describe()}");
        return null;
    }
}
