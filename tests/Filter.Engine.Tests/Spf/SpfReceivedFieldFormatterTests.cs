using System.Net;
using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

public sealed class SpfReceivedFieldFormatterTests
{
    [Test]
    public void PassHasTheRfcKeys()
    {
        var result = new SpfResult(SpfResultCode.Pass, SpfIdentity.MailFrom, "example.com", "myname@example.com", "ip4:192.0.2.0/24", null, "matched")
        {
            ClientAddress = IPAddress.Parse("192.0.2.1"),
            HeloName = "foo.example.com",
            EnvelopeFrom = "myname@example.com",
        };

        Assert.That(
            SpfReceivedFieldFormatter.Format(result, "mybox.example.org"),
            Is.EqualTo("pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender) " +
                "client-ip=192.0.2.1; envelope-from=\"myname@example.com\"; helo=foo.example.com; receiver=mybox.example.org; " +
                "identity=mailfrom; mechanism=\"ip4:192.0.2.0/24\";"));
    }

    [Test]
    public void ErrorsCarryAProblemAndUntrustedTextIsEscaped()
    {
        var result = new SpfResult(SpfResultCode.PermError, SpfIdentity.Helo, "bad.example", "postmaster@bad.example", null, null, "syntax \"error\" (at 3)\r\n")
        {
            ClientAddress = IPAddress.Parse("2001:db8::1"),
            HeloName = "bad (helo)\r\nX-Injected: 1",
        };

        var value = SpfReceivedFieldFormatter.Format(result, "mx.example.org");

        Assert.Multiple(() =>
        {
            Assert.That(value, Does.StartWith("permerror (mx.example.org: error in processing during lookup of postmaster@bad.example) "));
            Assert.That(value, Does.Contain("client-ip=\"2001:db8::1\""));
            Assert.That(value, Does.Contain("helo=\"bad (helo)??X-Injected: 1\""));
            Assert.That(value, Does.Contain("identity=helo"));
            Assert.That(value, Does.Contain("problem=\"syntax \\\"error\\\" (at 3)??\""));
            Assert.That(value, Does.Not.Contain("\r").And.Not.Contain("\n"));
            Assert.That(value, Does.Not.Contain("envelope-from"));
        });
    }
}
