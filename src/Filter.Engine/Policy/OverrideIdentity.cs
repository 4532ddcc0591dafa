namespace Filter.Engine.Policy;

/// <summary>Which domain of the message a per-domain override is matched against.</summary>
public enum OverrideIdentity
{
    /// <summary>The RFC 5322 From domain (the DMARC author domain).</summary>
    FromDomain,

    /// <summary>The envelope sender (MAIL FROM) domain, RFC 5321.</summary>
    MailFromDomain,
}
