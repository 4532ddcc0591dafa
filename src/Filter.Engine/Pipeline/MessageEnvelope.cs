namespace Filter.Engine.Pipeline;

/// <summary>
/// The SMTP envelope of a stored message, for the offline tools (check, replay) that feed a whole
/// file to <see cref="MessageAuthenticator"/> as the milter would.
/// </summary>
/// <param name="Client">The connecting client.</param>
/// <param name="Helo">The HELO/EHLO name.</param>
/// <param name="MailFrom">The MAIL FROM reverse-path; empty for the null sender.</param>
/// <param name="Recipients">The RCPT TO addresses.</param>
/// <param name="QueueId">The MTA's queue id, or null.</param>
public sealed record MessageEnvelope(ClientConnection Client, string Helo, string MailFrom, IReadOnlyList<string> Recipients, string? QueueId = null);
