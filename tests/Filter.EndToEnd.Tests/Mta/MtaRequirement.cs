namespace Filter.EndToEnd.Tests.Mta;

/// <summary>
/// Real-MTA tests skip themselves where the MTA is missing (a laptop) and fail instead when the
/// environment says CI=true (DESIGN.md, house rules): CI installs the MTAs, so missing is a bug there.
/// </summary>
internal static class MtaRequirement
{
    public static void Require(string? unavailableReason)
    {
        if (unavailableReason is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true but " + unavailableReason);
        }

        Assert.Ignore(unavailableReason);
    }
}
