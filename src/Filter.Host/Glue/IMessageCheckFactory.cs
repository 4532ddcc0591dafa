using Filter.Engine.Policy;

namespace Filter.Host.Glue;

/// <summary>
/// Starts <see cref="IMessageCheck"/>s under one policy. A reload builds a new factory; messages
/// started on the old one finish on it. Thread-safe.
/// </summary>
internal interface IMessageCheckFactory
{
    /// <summary>The policy every check of this factory applies.</summary>
    FilterPolicy Policy { get; }

    /// <summary>Starts the check of one message at MAIL FROM; SPF starts now.</summary>
    IMessageCheck Start(MessageEnvelope envelope, CancellationToken cancellationToken);
}
