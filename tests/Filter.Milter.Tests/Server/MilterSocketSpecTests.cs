using Filter.Milter.Server;

namespace Filter.Milter.Tests.Server;

public sealed class MilterSocketSpecTests
{
    [TestCase("inet:127.0.0.1:8891", MilterSocketKind.Inet, "127.0.0.1", 8891, "", TestName = "Postfix inet")]
    [TestCase("inet:[::1]:8891", MilterSocketKind.Inet, "::1", 8891, "", TestName = "Postfix inet IPv6")]
    [TestCase("inet:8891@127.0.0.1", MilterSocketKind.Inet, "127.0.0.1", 8891, "", TestName = "Sendmail inet")]
    [TestCase("inet6:8891@::1", MilterSocketKind.Inet, "::1", 8891, "", TestName = "Sendmail inet6")]
    [TestCase("inet:8891", MilterSocketKind.Inet, "127.0.0.1", 8891, "", TestName = "no host means loopback")]
    [TestCase("inet6:8891", MilterSocketKind.Inet, "::1", 8891, "", TestName = "inet6 without host means IPv6 loopback")]
    [TestCase("inet:localhost:0", MilterSocketKind.Inet, "localhost", 0, "", TestName = "host name and any port")]
    [TestCase("unix:/run/authfilter/milter.sock", MilterSocketKind.Unix, "", 0, "/run/authfilter/milter.sock", TestName = "Postfix unix")]
    [TestCase("local:/var/run/f1.sock", MilterSocketKind.Unix, "", 0, "/var/run/f1.sock", TestName = "Sendmail local")]
    [TestCase("UNIX:relative.sock", MilterSocketKind.Unix, "", 0, "relative.sock", TestName = "case-insensitive scheme, relative path")]
    public void Parses(string text, MilterSocketKind kind, string host, int port, string path)
    {
        Assert.That(MilterSocketSpec.TryParse(text, out MilterSocketSpec? spec, out string? error), Is.True, error);
        Assert.That(spec, Is.EqualTo(new MilterSocketSpec(kind, host, port, path)));
    }

    [TestCase("", TestName = "empty")]
    [TestCase("127.0.0.1:8891", TestName = "no scheme")]
    [TestCase("tcp:127.0.0.1:8891", TestName = "unknown scheme")]
    [TestCase("inet:127.0.0.1:99999", TestName = "port out of range")]
    [TestCase("inet:127.0.0.1:http", TestName = "port not a number")]
    [TestCase("inet:::1:8891", TestName = "IPv6 without brackets")]
    [TestCase("inet:[::1]8891", TestName = "bracket without colon")]
    [TestCase("unix:", TestName = "unix without path")]
    public void Refuses(string text)
    {
        Assert.That(MilterSocketSpec.TryParse(text, out MilterSocketSpec? spec, out string? error), Is.False);
        Assert.That(spec, Is.Null);
        Assert.That(error, Is.Not.Empty);
        Assert.Throws<FormatException>(() => MilterSocketSpec.Parse(text));
    }

    [TestCase("inet:127.0.0.1:8891")]
    [TestCase("inet:[::1]:8891")]
    [TestCase("unix:/run/a.sock")]
    public void Prints_the_postfix_form(string text)
    {
        Assert.That(MilterSocketSpec.Parse(text).ToString(), Is.EqualTo(text));
    }

    [Test]
    public void Bind_addresses_are_literals_localhost_or_any()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MilterSocketSpec.Parse("inet:localhost:1").TryGetBindAddress(out System.Net.IPAddress? loopback), Is.True);
            Assert.That(loopback, Is.EqualTo(System.Net.IPAddress.Loopback));
            Assert.That(MilterSocketSpec.Parse("inet:*:1").TryGetBindAddress(out System.Net.IPAddress? any), Is.True);
            Assert.That(any, Is.EqualTo(System.Net.IPAddress.Any));
            Assert.That(MilterSocketSpec.Parse("inet:mail.example.org:1").TryGetBindAddress(out _), Is.False, "a listener does not depend on DNS");
        });
    }
}
