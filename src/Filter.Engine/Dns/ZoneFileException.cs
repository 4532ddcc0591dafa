namespace Filter.Engine.Dns;

/// <summary>
/// Thrown by <see cref="ZoneFileReader.Parse"/> and <see cref="ZoneFileReader.LoadFile"/> when a
/// master file has errors. Callers that prefer a value use <see cref="ZoneFileReader.Read"/> and
/// <see cref="ZoneFileReader.ReadFile"/>, which never throw for bad input.
/// </summary>
public sealed class ZoneFileException : Exception
{
    public ZoneFileException(IReadOnlyList<ZoneFileError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public ZoneFileException()
        : this([])
    {
    }

    public ZoneFileException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ZoneFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Every error found, in file order (at most <see cref="ZoneFileReaderOptions.MaxErrors"/> + 1).</summary>
    public IReadOnlyList<ZoneFileError> Errors { get; }

    private static string Describe(IReadOnlyList<ZoneFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count switch
        {
            0 => "The zone file has errors.",
            1 => "Zone file error: " + errors[0],
            _ => $"{errors.Count} zone file errors, the first: {errors[0]}",
        };
    }
}
