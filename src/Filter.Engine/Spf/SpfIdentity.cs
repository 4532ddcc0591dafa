namespace Filter.Engine.Spf;

/// <summary>Which identity was checked (RFC 7208 §2.3, §2.4): the HELO name or the MAIL FROM.</summary>
public enum SpfIdentity
{
    /// <summary>The MAIL FROM reverse-path, or postmaster@HELO for the null sender (RFC 7208 §2.4).</summary>
    MailFrom,

    /// <summary>The HELO/EHLO domain (RFC 7208 §2.3).</summary>
    Helo,
}
