namespace Filter.Engine.Message;

/// <summary>What the RFC5322.From field(s) of a message gave (RFC 9989 §5.3.1).</summary>
public enum AuthorDomainStatus
{
    /// <summary>Exactly one From field whose mailboxes all have one domain: the Author Domain.</summary>
    Single,

    /// <summary>Several From fields, or several distinct domains in one (RFC 9989 §11.5).</summary>
    Multiple,

    /// <summary>No From field at all.</summary>
    Missing,

    /// <summary>
    /// A From field that is not a mailbox-list of addresses with domains: unparseable, empty, group
    /// syntax, no domain, a domain literal or a name that is not a host name.
    /// </summary>
    Malformed,
}
