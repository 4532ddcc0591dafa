namespace Filter.Engine.Policy;

/// <summary>What an outcome that could not be decided (DNS trouble, an internal error) does.</summary>
public enum TemporaryFailureAction
{
    /// <summary>Answer with the configured tempfail reply; the sending MTA retries later.</summary>
    Tempfail,

    /// <summary>Accept; the Authentication-Results header records the temperror.</summary>
    Accept,
}
