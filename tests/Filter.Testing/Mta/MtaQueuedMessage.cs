namespace Filter.Testing.Mta;

/// <summary>A message an MTA holds in its queue rather than delivering (Postfix hold queue, Sendmail quarantine).</summary>
/// <param name="QueueId">The MTA's queue id.</param>
/// <param name="QueueName">Postfix: the queue (<c>hold</c> for quarantine); Sendmail: <c>quarantine</c> for an <c>hf</c> file.</param>
/// <param name="Reason">The quarantine reason where the MTA keeps it (Sendmail's <c>q</c> line), else null: Postfix does not keep it.</param>
/// <param name="Text">The queue file's message text (headers and body) as the MTA shows it.</param>
public sealed record MtaQueuedMessage(string QueueId, string QueueName, string? Reason, string Text);
