namespace Filter.Engine.Spf;

/// <summary>The seven results of check_host() (RFC 7208 §2.6), as RFC 8601 §2.7.2 names them.</summary>
public enum SpfResultCode
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
