using System.Net;

namespace Filter.Host.Glue;

/// <summary>
/// What the MTA told us about one message before its content: the SMTP client, HELO, the
/// envelope sender, the queue id and whether the client authenticated (<c>{auth_authen}</c>).
/// </summary>
/// <param name="ClientAddress">The client's IP address, or null when the MTA did not give one (Unix-socket or unknown family).</param>
/// <param name="ClientName">The client host name as the MTA reported it (<c>[192.0.2.1]</c> when unverified).</param>
/// <param name="Helo">The HELO/EHLO argument, or null when none was given.</param>
/// <param name="MailFrom">The envelope sender without angle brackets; empty for the null sender.</param>
/// <param name="QueueId">The MTA's queue id (<c>{i}</c>), or null while the MTA has not assigned one.</param>
/// <param name="AuthenticatedUser">The SASL login (<c>{auth_authen}</c>), or null.</param>
internal sealed record MessageEnvelope(
    IPAddress? ClientAddress,
    string ClientName,
    string? Helo,
    string MailFrom,
    string? QueueId,
    string? AuthenticatedUser);
