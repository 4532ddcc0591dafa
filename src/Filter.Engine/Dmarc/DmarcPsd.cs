namespace Filter.Engine.Dmarc;

/// <summary>The <c>psd</c> tag of RFC 9989 §4.7.</summary>
public enum DmarcPsd
{
    /// <summary><c>psd=u</c> or absent: use the Tree Walk to find the Organizational Domain.</summary>
    Unspecified,

    /// <summary><c>psd=y</c>: the domain is a Public Suffix Domain; the walk stops here.</summary>
    Yes,

    /// <summary><c>psd=n</c>: the domain is an Organizational Domain; the walk stops here.</summary>
    No,
}
