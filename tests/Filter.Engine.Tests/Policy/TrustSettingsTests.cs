using System.Net;
using Filter.Engine.Policy;

namespace Filter.Engine.Tests.Policy;

[TestFixture]
public sealed class TrustSettingsTests
{
    private static readonly TrustSettings Trust = new()
    {
        Networks = [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32")],
    };

    [TestCase("192.0.2.1", true)]
    [TestCase("192.0.2.255", true)]
    [TestCase("192.0.3.1", false)]
    [TestCase("::ffff:192.0.2.7", true)]
    [TestCase("2001:db8:1::25", true)]
    [TestCase("2001:db9::25", false)]
    [TestCase("127.0.0.1", false)]
    public void MatchesListedNetworksOnly(string client, bool expected) =>
        Assert.That(Trust.IsTrustedNetwork(IPAddress.Parse(client)), Is.EqualTo(expected));

    [Test]
    public void NothingIsTrustedByDefault()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new TrustSettings().IsTrustedNetwork(IPAddress.Loopback), Is.False);
            Assert.That(new TrustSettings().BypassAuthenticated, Is.True);
        });
    }
}
