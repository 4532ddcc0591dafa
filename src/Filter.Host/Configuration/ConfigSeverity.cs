namespace Filter.Host.Configuration;

/// <summary>How serious a policy-file diagnostic is.</summary>
internal enum ConfigSeverity
{
    /// <summary>The file is not loaded; the daemon keeps (or refuses to start without) a valid policy.</summary>
    Error,

    /// <summary>The file loads, but a setting has no effect or is doubtful.</summary>
    Warning,
}
