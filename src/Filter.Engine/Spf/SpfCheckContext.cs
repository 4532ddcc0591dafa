namespace Filter.Engine.Spf;

/// <summary>
/// The inputs of one check that stay the same through includes and redirects (RFC 7208 §4.1):
/// &lt;ip&gt;, &lt;sender&gt; split into local-part and domain, the HELO name and the receiver. The
/// current &lt;domain&gt; changes per record and is passed alongside.
/// </summary>
internal sealed class SpfCheckContext(SpfClientAddress client, string sender, string localPart, string senderDomain, string helo, string receiver, TimeProvider timeProvider)
{
    public SpfClientAddress Client { get; } = client;

    /// <summary>The local-part of &lt;sender&gt;, "postmaster" when there was none (§4.3).</summary>
    public string LocalPart { get; } = localPart;

    /// <summary>The domain of &lt;sender&gt; (the "o" macro).</summary>
    public string SenderDomain { get; } = senderDomain;

    /// <summary>&lt;sender&gt;: local-part@domain (the "s" macro).</summary>
    public string Sender { get; } = sender;

    public string Helo { get; } = helo;

    public string Receiver { get; } = receiver;

    public TimeProvider TimeProvider { get; } = timeProvider;
}
