namespace Filter.Engine.Dns;

/// <summary>
/// Collects the errors of one read, across <c>$INCLUDE</c>d files, and stops the read after
/// <see cref="ZoneFileReaderOptions.MaxErrors"/> so a binary file fed by mistake yields a short list.
/// </summary>
internal sealed class ZoneFileErrorSink(int maxErrors)
{
    private readonly List<ZoneFileError> _errors = [];

    public IReadOnlyList<ZoneFileError> Errors => _errors;

    /// <summary>True once the limit was reached; readers stop at the next entry.</summary>
    public bool Stopped { get; private set; }

    public void Add(ZoneFileError error)
    {
        if (Stopped)
        {
            return;
        }

        _errors.Add(error);
        if (_errors.Count >= maxErrors)
        {
            Stopped = true;
            _errors.Add(error with { Message = $"stopped after {maxErrors} errors" });
        }
    }
}
