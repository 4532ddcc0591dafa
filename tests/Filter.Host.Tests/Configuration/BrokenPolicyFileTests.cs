using Filter.Host.Configuration;

namespace Filter.Host.Tests.Configuration;

/// <summary>
/// Each file in Data/config/broken is a policy file with known mistakes. The test asserts the exact
/// diagnostics: every one, in file order, with its 1-based line and column in that file and its
/// message word for word, and that no policy comes out of it.
/// </summary>
[TestFixture]
public sealed class BrokenPolicyFileTests
{
    private static string BrokenDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "config", "broken");

    [TestCaseSource(nameof(Cases))]
    public void ReportsEveryErrorWithItsPosition(string file, (int Line, int Column, string Message)[] expected)
    {
        var result = new PolicyFileLoader("mx.test.example").Load(Path.Combine(BrokenDirectory, file));

        var actual = result.Diagnostics.Select(d => (d.Severity, d.Line, d.Column, d.Message)).ToArray();
        var wanted = expected.Select(e => (ConfigSeverity.Error, e.Line, e.Column, e.Message)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(wanted));
            Assert.That(result.Policy, Is.Null);
            Assert.That(result.Succeeded, Is.False);
        });
    }

    [Test]
    public void EveryBrokenFileHasACase()
    {
        var files = Directory.GetFiles(BrokenDirectory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var covered = Cases().Select(c => (string)c.Arguments[0]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(covered, Is.EqualTo(files));
            Assert.That(files, Has.Length.GreaterThanOrEqualTo(20));
        });
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case(
            "authserv-id-not-token.yaml",
            E(1, 14, "authserv-id: 'mx.example.com; dkim=pass' contains ';'; expected a host name such as mx.example.com (an RFC 2045 token, RFC 8601 §2.2)"));
        yield return Case(
            "boolean-yaml11.yaml",
            E(2, 26, "trusted.authenticated-clients: expected true or false, got 'yes' (YAML 1.2 reads yes/no/on/off as strings)"));
        yield return Case(
            "cidr-host-bits-set.yaml",
            E(2, 14, "trusted.networks[0]: '192.168.1.1/24' has host bits set beyond /24; did you mean '192.168.1.0/24'?"));
        yield return Case(
            "cidr-prefix-out-of-range.yaml",
            E(4, 7, "trusted.networks[1]: prefix length '/33' is out of range; expected /0 to /32 for an IPv4 network"));
        yield return Case(
            "dkim-min-rsa-bits-too-small.yaml",
            E(2, 17, "dkim.min-rsa-bits: 512 is out of range; expected an integer from 1024 to 4096 (RFC 8301 §3.2 forbids accepting RSA keys under 1024 bits)"));
        yield return Case(
            "duplicate-key.yaml",
            E(5, 1, "duplicate key 'dns' (first given at line 1)"));
        yield return Case(
            "duration-malformed.yaml",
            E(2, 12, "dns.timeout: expected a duration from 100ms to 30s such as 500ms, 2s or 1m, got '2 seconds'"));
        yield return Case(
            "enum-suggestion.yaml",
            E(2, 9, "dmarc.mode: expected one of rfc9989, rfc7489, got 'rfc7849'; did you mean 'rfc7489'?"));
        yield return Case(
            "integer-quoted.yaml",
            E(2, 15, "dns.cache-size: expected an integer from 0 to 10000000, got the quoted string \"5000\" (write numbers without quotes)"));
        yield return Case(
            "integer-wrong-type.yaml",
            E(2, 12, "dns.retries: expected an integer from 0 to 5, got 'two'"));
        yield return Case(
            "listen-empty.yaml",
            E(1, 9, "listen: expected at least one socket, e.g. [inet:127.0.0.1:8891]"));
        yield return Case(
            "many-errors.yaml",
            E(4, 17, "actions.dmarc-reject: expected one of reject, quarantine, accept-and-tag, got 'bounce'"),
            E(7, 13, "limits.sessions: 0 is out of range; expected an integer from 1 to 65536"),
            E(8, 17, "limits.header-count: expected an integer from 16 to 100000, got 'lots'"),
            E(10, 13, "replies.tempfail: a tempfail reply needs a 4xx code (RFC 5321 §4.2.1), got 550"));
        yield return Case(
            "metrics-non-loopback.yaml",
            E(2, 11, "metrics.listen: 0.0.0.0:9464 is not a loopback address; metrics reveal traffic, so set metrics.allow-non-loopback: true to expose them"));
        yield return Case(
            "metrics-port-of-milter.yaml",
            E(3, 11, "metrics.listen: 127.0.0.1:8891 is the port of the milter socket inet:127.0.0.1:8891"));
        yield return Case(
            "nameserver-host-name.yaml",
            E(4, 7, "dns.nameservers[1]: expected an IP address, not a host name, got 'resolver.example.net'"));
        yield return Case(
            "nesting-too-deep.yaml",
            E(2, 42, "values are nested more than 32 levels deep; a policy file needs three"));
        yield return Case(
            "override-bad-domain.yaml",
            E(2, 18, "overrides[0].from-domain: expected a domain or '*.domain', got 'mail.*.example.com' ('*' is allowed only as the whole first label)"));
        yield return Case(
            "override-duplicate-domain.yaml",
            E(6, 18, "overrides[2]: duplicate override for from-domain 'partner.example' (first at line 2)"));
        yield return Case(
            "override-incomplete.yaml",
            E(3, 23, "overrides[0]: give either from-domain or mail-from-domain, not both (write two overrides)"),
            E(5, 5, "overrides[1]: missing action (accept, reject, lower or raise)"));
        yield return Case(
            "psl-file-missing.yaml",
            E(3, 23, "dmarc.public-suffix-list: file not found: " + InData("no-such-dir/public_suffix_list.dat")));
        yield return Case(
            "recording-without-directory.yaml",
            E(2, 12, "recording.enabled: recording needs recording.directory, where the entries are written"),
            E(3, 16, "recording.sample-rate: 1.5 is out of range; expected a fraction greater than 0 and at most 1, such as 0.01"));
        yield return Case(
            "reply-enhanced-status-mismatch.yaml",
            E(2, 13, "replies.tempfail: enhanced status 5.7.1 does not match reply code 451; use 4.x.x (the class must match the reply code, RFC 2034 and RFC 3463)"));
        yield return Case(
            "reply-lone-percent.yaml",
            E(2, 15, "replies.spf-reject: a '%' in a reply must be written '%%' (Sendmail reads the reply as a printf format)"));
        yield return Case(
            "reply-reject-with-4xx.yaml",
            E(2, 17, "replies.dmarc-reject: a reject reply needs a 5xx code (RFC 5321 §4.2.1), got 451"));
        yield return Case(
            "reply-unknown-placeholder.yaml",
            E(2, 17, "replies.dmarc-reject: unknown placeholder '{sender}'; expected {domain} or {reason}"));
        yield return Case(
            "rfc7489-without-psl.yaml",
            E(2, 9, "dmarc.mode: rfc7489 needs dmarc.public-suffix-list, the path of public_suffix_list.dat (RFC 7489 §3.2 finds the organizational domain with it)"));
        yield return Case(
            "root-is-list.yaml",
            E(1, 1, "expected a mapping of settings (authserv-id, listen, dns...) at the top of the file, got a list"));
        yield return Case(
            "section-not-mapping.yaml",
            E(1, 6, "dns: expected a mapping with keys nameservers, timeout, retries, cache-size; got '192.0.2.53'"));
        yield return Case(
            "socket-mode-on-inet.yaml",
            E(3, 11, "listen[0].mode: a file mode applies only to a unix socket, not to inet:127.0.0.1:8891"));
        yield return Case(
            "socket-port-out-of-range.yaml",
            E(2, 5, "listen[0]: port '70000' is out of range; expected 1 to 65535"));
        yield return Case(
            "socket-sendmail-form.yaml",
            E(1, 9, "listen: 'inet:8891@127.0.0.1' is Sendmail's PORT@HOST form; write inet:HOST:PORT (e.g. inet:127.0.0.1:8891)"));
        yield return Case(
            "socket-unix-relative-path.yaml",
            E(2, 5, "listen[0]: the unix socket path must be absolute, got 'run/authfilter/milter.sock'"));
        yield return Case(
            "socket-unknown-scheme.yaml",
            E(2, 5, "listen[0]: expected a socket such as inet:127.0.0.1:8891, inet:[::1]:8891 or unix:/run/authfilter/milter.sock, got 'tcp:127.0.0.1:8891'"));
        yield return Case(
            "spf-lookups-over-rfc-limit.yaml",
            E(2, 16, "limits.spf-lookups: 20 is out of range; expected an integer from 1 to 10 (RFC 7208 §4.6.4 caps DNS-querying terms at 10)"));
        yield return Case(
            "spf-check-helo-not-boolean.yaml",
            E(3, 15, "spf.check-helo: expected true or false, got the quoted string \"true\""));
        yield return Case(
            "tag-header-authentication-results.yaml",
            E(2, 15, "actions.tag-header: 'Authentication-Results' is an authentication header with its own meaning; choose a name of your own such as X-AuthFilter-Disposition"));
        yield return Case(
            "unknown-key-suggestion.yaml",
            E(3, 3, "unknown key 'timout' in dns; did you mean 'timeout'?"));
        yield return Case(
            "unknown-top-level-key.yaml",
            E(2, 1, "unknown key 'frobnicate'; expected one of: authserv-id, listen, dns, dmarc, trusted, actions, replies, spf, dkim, overrides, limits, metrics, recording"));
        yield return Case(
            "yaml-syntax-error.yaml",
            E(3, 2, "YAML syntax error: While parsing a block mapping, did not find expected key."));
        yield return Case(
            "yaml-tab-indentation.yaml",
            E(3, 1, "YAML syntax error: While scanning a plain scalar, found a tab character that violate indentation."));
        yield return Case(
            "yaml-unclosed-flow.yaml",
            E(2, 13, "YAML syntax error: this '[' is never closed"));
        yield return Case(
            "yaml-unclosed-quote.yaml",
            E(3, 17, "YAML syntax error: While scanning a quoted scalar, found unexpected end of stream."));
    }

    private static string InData(string relative) => Path.GetFullPath(Path.Combine(BrokenDirectory, relative));

    private static (int Line, int Column, string Message) E(int line, int column, string message) => (line, column, message);

    private static TestCaseData Case(string file, params (int Line, int Column, string Message)[] expected) =>
        new TestCaseData(file, expected).SetArgDisplayNames(file);
}
