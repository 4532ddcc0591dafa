using System.Net;

namespace Filter.Engine.Pipeline;

/// <summary>
/// What the MTA told us about the SMTP client at CONNECT (and, for <see cref="AuthenticatedUser"/>,
/// from the <c>{auth_authen}</c> macro after AUTH). DESIGN.md "One message", step 2.
/// </summary>
/// <param name="Address">The client's IP address (the SPF &lt;ip&gt;, RFC 7208 §4.1).</param>
/// <param name="HostName">The client's host name as the MTA resolved it, or null (e.g. "unknown").</param>
/// <param name="AuthenticatedUser">The SASL login (<c>{auth_authen}</c>), or null/empty when the client did not authenticate.</param>
public sealed record ClientConnection(IPAddress Address, string? HostName, string? AuthenticatedUser = null)
{
    /// <summary>True when the client authenticated: such submitters are recorded, not judged.</summary>
    public bool IsAuthenticated => !string.IsNullOrEmpty(AuthenticatedUser);
}
