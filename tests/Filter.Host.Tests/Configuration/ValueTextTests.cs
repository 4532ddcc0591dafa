using System.Net;
using Filter.Host.Configuration;

namespace Filter.Host.Tests.Configuration;

/// <summary>The small parsers behind the policy file's values, on the edge cases the broken files do not show.</summary>
[TestFixture]
public sealed class ValueTextTests
{
    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("::1", "::1")]
    [TestCase("2001:DB8::1", "2001:db8::1")]
    [TestCase("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void AcceptsPlainAddresses(string text, string expected)
    {
        Assert.That(AddressText.TryParseAddress(text, out var address), Is.Null);
        Assert.That(address, Is.EqualTo(IPAddress.Parse(expected)));
    }

    [TestCase("127.1", "expected an IPv4 address (four numbers 0-255 joined by dots), got '127.1'")]
    [TestCase("0x7f.0.0.1", "expected an IP address, not a host name, got '0x7f.0.0.1'")]
    [TestCase("256.0.0.1", "expected an IPv4 address (four numbers 0-255 joined by dots), got '256.0.0.1'")]
    [TestCase("1", "expected an IPv4 address (four numbers 0-255 joined by dots), got '1'")]
    [TestCase("fe80::1%eth0", "expected an IPv6 address, got 'fe80::1%eth0'")]
    [TestCase("localhost", "expected an IP address, not a host name, got 'localhost'")]
    public void RefusesLegacyAndAmbiguousAddressForms(string text, string message) =>
        Assert.That(AddressText.TryParseAddress(text, out _), Is.EqualTo(message));

    [TestCase("192.0.2.1", "192.0.2.1:53")]
    [TestCase("192.0.2.1:5353", "192.0.2.1:5353")]
    [TestCase("[2001:db8::1]:5353", "[2001:db8::1]:5353")]
    [TestCase("[2001:db8::1]", "[2001:db8::1]:53")]
    [TestCase("2001:db8::1", "[2001:db8::1]:53")]
    public void EndpointsGetTheDefaultPort(string text, string expected)
    {
        Assert.That(AddressText.TryParseEndpoint(text, 53, out var endpoint), Is.Null);
        Assert.That(endpoint, Is.EqualTo(IPEndPoint.Parse(expected)));
    }

    [TestCase("0.0.0.0/0", "0.0.0.0/0")]
    [TestCase("::/0", "::/0")]
    [TestCase("2001:db8::/32", "2001:db8::/32")]
    [TestCase("198.51.100.7", "198.51.100.7/32")]
    [TestCase("2001:db8::7", "2001:db8::7/128")]
    public void AcceptsNetworks(string text, string expected)
    {
        Assert.That(AddressText.TryParseNetwork(text, out var network), Is.Null);
        Assert.That(network, Is.EqualTo(IPNetwork.Parse(expected)));
    }

    [TestCase("2001:db8::1/32", "'2001:db8::1/32' has host bits set beyond /32; did you mean '2001:db8::/32'?")]
    [TestCase("2001:db8::/129", "prefix length '/129' is out of range; expected /0 to /128 for an IPv6 network")]
    [TestCase("10.0.0.0/-1", "prefix length '/-1' is out of range; expected /0 to /32 for an IPv4 network")]
    [TestCase("10.0.0/8", "expected a network such as 192.0.2.0/24 or 2001:db8::/32, i.e. an IPv4 address (four numbers 0-255 joined by dots), got '10.0.0'")]
    public void RefusesBadNetworks(string text, string message) =>
        Assert.That(AddressText.TryParseNetwork(text, out _), Is.EqualTo(message));

    [TestCase("550 5.7.1 ok", '5', null)]
    [TestCase("554 5.7.26 ok {domain}", '5', null)]
    [TestCase("421 4.4.3 closing {reason}", '4', null)]
    [TestCase("550 5.7.1", '5', "the reply has no text after the enhanced status code")]
    [TestCase("550 5.07.1 x", '5', "expected an enhanced status code (RFC 3463) such as 5.7.1 after 550, got '5.07.1'")]
    [TestCase("550 x", '5', "expected an enhanced status code (RFC 3463) such as 5.7.1 after 550, got 'x'")]
    [TestCase("570 5.7.1 x", '5', "reply code 570 is not valid: the second digit must be 0 to 5 (RFC 5321 §4.2.1)")]
    [TestCase("250 2.0.0 x", '5', "a reject reply needs a 5xx code (RFC 5321 §4.2.1), got 250")]
    [TestCase("55 5.7.1 x", '5', "expected a reply such as '550 5.7.1 Message rejected', i.e. a three-digit code, an enhanced status code and text")]
    [TestCase("550 5.7.1 caf\u00e9", '5', "the reply text must be printable ASCII on one line (RFC 5321 §4.2), but contains U+00E9")]
    [TestCase("550 5.7.1 {domain", '5', "unknown placeholder '{domain'; expected {domain} or {reason}")]
    [TestCase("550 5.7.1 domain}", '5', "a '}' without its '{'; placeholders are {domain} and {reason}")]
    public void ValidatesReplies(string text, char expectedClass, string? message) =>
        Assert.That(SmtpReplyText.TryParse(text, expectedClass, out _), Is.EqualTo(message));

    [Test]
    public void RefusesAReplyLongerThanOneSmtpLine() =>
        Assert.That(
            SmtpReplyText.TryParse("550 5.7.1 " + new string('x', 501), '5', out _),
            Is.EqualTo("the reply is 511 characters; an SMTP reply line holds at most 510 (RFC 5321 §4.5.3.1.5)"));

    [TestCase("500ms", 500)]
    [TestCase("2s", 2000)]
    [TestCase("5m", 300_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("0s", 0)]
    public void ParsesDurations(string text, int milliseconds)
    {
        Assert.That(DurationText.TryParse(text, out var value), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
            Assert.That(DurationText.Format(value), Is.EqualTo(text));
        });
    }

    [TestCase("2")]
    [TestCase("2 s")]
    [TestCase("1.5s")]
    [TestCase("-1s")]
    [TestCase("s")]
    [TestCase("2d")]
    [TestCase("9999999999s")]
    public void RefusesDurationsWithoutAUnitOrWithFractions(string text) =>
        Assert.That(DurationText.TryParse(text, out _), Is.False);

    [TestCase("timout", "timeout")]
    [TestCase("cache_size", "cache-size")]
    [TestCase("Retries", "retries")]
    [TestCase("nameserver", "nameservers")]
    [TestCase("frobnicate", null)]
    [TestCase("tim", null)]
    public void SuggestsCloseKeysOnly(string written, string? expected) =>
        Assert.That(KeySuggester.Suggest(written, ["nameservers", "timeout", "retries", "cache-size"]), Is.EqualTo(expected));

    [TestCase("mx.example.com", null)]
    [TestCase("mx-1.example.com", null)]
    [TestCase("mx example", "'mx example' contains 'U+0020'; expected a host name such as mx.example.com (an RFC 2045 token, RFC 8601 §2.2)")]
    [TestCase("", "expected a host name such as mx.example.com (1 to 255 characters)")]
    public void ChecksAuthservIds(string text, string? message) =>
        Assert.That(TokenText.CheckAuthservId(text), Is.EqualTo(message));

    [TestCase("unix:/run/a.sock", "unix:/run/a.sock")]
    [TestCase("local:/run/a.sock", "unix:/run/a.sock")]
    [TestCase("inet:[::1]:8891", "inet:[::1]:8891")]
    [TestCase("inet:0.0.0.0:8891", "inet:0.0.0.0:8891")]
    public void ParsesSocketSpecs(string text, string expected)
    {
        Assert.That(SocketSpecText.TryParse(text, out var socket), Is.Null);
        Assert.That(socket.ToString(), Is.EqualTo(expected));
    }

    [TestCase("inet:127.0.0.1", "expected ADDRESS:PORT, got '127.0.0.1' (the port is missing)")]
    [TestCase("unix:/run/", "the unix socket path names a directory, got '/run/'")]
    public void RefusesBadSocketSpecs(string text, string message) =>
        Assert.That(SocketSpecText.TryParse(text, out _), Is.EqualTo(message));

    [TestCase("0660", 0x1B0)]
    [TestCase("660", 0x1B0)]
    [TestCase("0600", 0x180)]
    public void ParsesOctalModes(string text, int expected)
    {
        Assert.That(SocketSpecText.TryParseMode(text, out var mode), Is.True);
        Assert.That((int)mode, Is.EqualTo(expected));
    }

    [TestCase("0680")]
    [TestCase("4660")]
    [TestCase("rw-rw----")]
    [TestCase("66")]
    public void RefusesBadModes(string text) =>
        Assert.That(SocketSpecText.TryParseMode(text, out _), Is.False);
}
