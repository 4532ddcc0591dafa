using System.Net;
using System.Text;
using Filter.Engine.Dns;
using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

public sealed class SpfEvaluatorTests
{
    private static Task<SpfResult> CheckAsync(Action<DnsZone> fill, string ip, string mailFrom, string helo = "mail.example.org", SpfOptions? options = null)
    {
        var zone = new DnsZone();
        fill(zone);
        var evaluator = new SpfEvaluator(new ZoneResolver(zone), options);
        return evaluator.CheckMailFromAsync(IPAddress.Parse(ip), helo, mailFrom, CancellationToken.None).AsTask();
    }

    [Test]
    public async Task PassNamesTheMechanismAndTheReason()
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all"), "192.0.2.10", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(result.ResultWord, Is.EqualTo("pass"));
            Assert.That(result.MatchedMechanism, Is.EqualTo("ip4:192.0.2.0/24"));
            Assert.That(result.Reason, Does.Contain("192.0.2.10").And.Contain("ip4:192.0.2.0/24"));
            Assert.That(result.Explanation, Is.Null);
            Assert.That(result.PropertyName, Is.EqualTo("smtp.mailfrom"));
            Assert.That(result.PropertyValue, Is.EqualTo("user@example.com"));
        });
    }

    [Test]
    public async Task FailCarriesTheDefaultExplanationExpanded()
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", "v=spf1 -all"), "192.0.2.10", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Fail));
            Assert.That(result.MatchedMechanism, Is.EqualTo("-all"));
            Assert.That(result.Explanation, Is.EqualTo("192.0.2.10 is not one of example.com's designated mail servers."));
        });
    }

    [Test]
    public async Task ExplanationMayUseExplanationOnlyMacros()
    {
        var options = new SpfOptions { ReceiverName = "mx.receiver.example", TimeProvider = new FixedTimeProvider(1_700_000_000) };
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 -all exp=why.%{d}");
                z.AddTxt("why.example.com", "%{c} refused by %{r} at %{t} for %{S}");
            },
            "2001:db8::1",
            "a b@example.com",
            options: options);

        Assert.That(result.Explanation, Is.EqualTo("2001:db8::1 refused by mx.receiver.example at 1700000000 for a%20b%40example.com"));
    }

    [Test]
    public async Task NullSenderChecksPostmasterAtHelo()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("mail.example.org", "v=spf1 a -all");
                z.AddA("mail.example.org", IPAddress.Parse("192.0.2.1"));
            },
            "192.0.2.1",
            "");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(result.Identity, Is.EqualTo(SpfIdentity.MailFrom));
            Assert.That(result.Sender, Is.EqualTo("postmaster@mail.example.org"));
            Assert.That(result.Domain, Is.EqualTo("mail.example.org"));
            Assert.That(result.EnvelopeFrom, Is.Empty);
        });
    }

    [Test]
    public async Task HeloIdentityIsCheckedOnItsOwn()
    {
        var zone = new DnsZone();
        zone.AddTxt("mail.example.org", "v=spf1 a -all");
        zone.AddA("mail.example.org", IPAddress.Parse("192.0.2.1"));
        var evaluator = new SpfEvaluator(new ZoneResolver(zone));

        var pass = await evaluator.CheckHeloAsync(IPAddress.Parse("192.0.2.1"), "mail.example.org", CancellationToken.None);
        var notFqdn = await evaluator.CheckHeloAsync(IPAddress.Parse("192.0.2.1"), "localhost", CancellationToken.None);
        var literal = await evaluator.CheckHeloAsync(IPAddress.Parse("192.0.2.1"), "[192.0.2.1]", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pass.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(pass.Identity, Is.EqualTo(SpfIdentity.Helo));
            Assert.That(pass.PropertyName, Is.EqualTo("smtp.helo"));
            Assert.That(pass.PropertyValue, Is.EqualTo("mail.example.org"));
            Assert.That(notFqdn.Code, Is.EqualTo(SpfResultCode.None));
            Assert.That(notFqdn.Reason, Does.Contain("not a fully qualified"));
            Assert.That(literal.Code, Is.EqualTo(SpfResultCode.None));
        });
    }

    [Test]
    public async Task RecordOf64KibIsEvaluated()
    {
        var text = new StringBuilder("v=spf1");
        var n = 0;
        while (text.Length < 64 * 1024 - 32)
        {
            text.Append(" ip4:10.").Append((n / 256) % 256).Append('.').Append(n % 256).Append(".1");
            n++;
        }

        text.Append(" ip4:192.0.2.7 -all");
        var result = await CheckAsync(z => z.AddTxt("example.com", text.ToString()), "192.0.2.7", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(text.Length, Is.GreaterThan(60_000));
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(result.MatchedMechanism, Is.EqualTo("ip4:192.0.2.7"));
        });
    }

    [Test]
    public async Task GarbageRecordOf64KibIsAPermErrorWithPosition()
    {
        var text = "v=spf1 " + new string('x', 64 * 1024);
        var result = await CheckAsync(z => z.AddTxt("example.com", text), "192.0.2.7", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("position 8").And.Contain("unknown mechanism"));
            Assert.That(result.Reason.Length, Is.LessThan(400), "the reason quotes a bounded piece of the record");
        });
    }

    [Test]
    public async Task FiveHundredDnsTermsStopAtTheLookupLimit()
    {
        var terms = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"a:h{i}.example.com"));
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 " + terms + " -all");
                for (var i = 0; i < 500; i++)
                {
                    z.AddA($"h{i}.example.com", IPAddress.Parse("198.51.100.1"));
                }
            },
            "192.0.2.7",
            "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("more than 10 DNS-querying").And.Contain("a:h10.example.com"));
        });
    }

    [Test]
    public async Task FiveHundredIpTermsNeedNoLookups()
    {
        var terms = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"ip4:10.0.{i / 256}.{i % 256}"));
        var result = await CheckAsync(z => z.AddTxt("example.com", "v=spf1 " + terms + " -all"), "10.0.1.243", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Pass));
            Assert.That(result.MatchedMechanism, Is.EqualTo("ip4:10.0.1.243"));
        });
    }

    [Test]
    public async Task IncludeLoopIsAPermErrorThroughTheLimit()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("a.example.com", "v=spf1 include:b.example.com -all");
                z.AddTxt("b.example.com", "v=spf1 include:a.example.com -all");
            },
            "192.0.2.7",
            "user@a.example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("more than 10 DNS-querying"));
        });
    }

    [Test]
    public async Task VoidLookupsOverTwoAreAPermError()
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", "v=spf1 a:x1.example.com mx:x2.example.com exists:x3.example.com -all"), "192.0.2.7", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("more than 2 void").And.Contain("exists:x3.example.com"));
        });
    }

    [Test]
    public async Task LimitsAreConfigurable()
    {
        var options = new SpfOptions { MaxDnsTerms = 1 };
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 a mx -all");
                z.AddA("example.com", IPAddress.Parse("198.51.100.1"));
            },
            "192.0.2.7",
            "user@example.com",
            options: options);

        Assert.That(result.Reason, Does.Contain("more than 1 DNS-querying").And.Contain("'mx'"));
    }

    [Test]
    public async Task MacroPast253OctetsIsTruncatedFromTheLeft()
    {
        var local = string.Join('.', Enumerable.Repeat("abcdefghij", 20));
        var expanded = $"{local}.{local}.bl.example.com";
        var kept = expanded;
        while (kept.Length > 253)
        {
            kept = kept[(kept.IndexOf('.') + 1)..];
        }

        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 -exists:%{l}.%{l}.bl.example.com +all");
                z.AddA(kept, IPAddress.Parse("127.0.0.2"));
            },
            "192.0.2.7",
            local + "@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(expanded.Length, Is.GreaterThan(400));
            Assert.That(kept.Length, Is.LessThanOrEqualTo(253));
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Fail), result.Reason);
        });
    }

    [Test]
    public async Task MacroMakingALabelOver63OctetsDoesNotMatch()
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", "v=spf1 a:%{l}.example.com ?all"), "192.0.2.7", new string('x', 70) + "@example.com");

        Assert.That(result.Code, Is.EqualTo(SpfResultCode.Neutral), result.Reason);
    }

    [TestCase("v=spf1 a:exämple.com -all", "U+00E4")]
    [TestCase("v=spf1 ip4:192.0.2.1\t-all", "not an IPv4 address")]
    [TestCase("v=spf1 \u0080a -all", "unknown mechanism")]
    [TestCase("v=spf1 a:example.com\0", "U+0000")]
    public async Task NonAsciiAndControlCharactersArePermErrors(string record, string detail)
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", record), "192.0.2.7", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("position").And.Contain(detail));
        });
    }

    [Test]
    public async Task NonAsciiSenderDomainIsNone()
    {
        var result = await CheckAsync(z => { }, "192.0.2.7", "user@exämple.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.None));
            Assert.That(result.Reason, Does.Contain("U+00E4"));
        });
    }

    [TestCase("::", "v=spf1 ip6:::/128 -all", SpfResultCode.Pass)]
    [TestCase("::", "v=spf1 ip4:0.0.0.0/0 -all", SpfResultCode.Fail)]
    [TestCase("::ffff:1.2.3.4", "v=spf1 ip4:1.2.3.4 -all", SpfResultCode.Pass)]
    [TestCase("::ffff:1.2.3.4", "v=spf1 ip6:::ffff:1.2.3.4 -all", SpfResultCode.Fail)]
    [TestCase("2001:db8::1", "v=spf1 ip6:2001:db8::/32 -all", SpfResultCode.Pass)]
    [TestCase("2001:db8::1", "v=spf1 ip6:fe80::1%eth0 -all", SpfResultCode.PermError)]
    [TestCase("2001:db8::1", "v=spf1 ip6:[2001:db8::1] -all", SpfResultCode.PermError)]
    [TestCase("2001:db8::1", "v=spf1 ip6:192.0.2.1 -all", SpfResultCode.PermError)]
    [TestCase("2001:db8::1", "v=spf1 ip6:2001:db8::1/129 -all", SpfResultCode.PermError)]
    [TestCase("fe80::1%2", "v=spf1 ip6:fe80::1 -all", SpfResultCode.Pass)]
    public async Task IPv6EdgeForms(string client, string record, SpfResultCode expected)
    {
        var result = await CheckAsync(z => z.AddTxt("example.com", record), client, "user@example.com");

        Assert.That(result.Code, Is.EqualTo(expected), result.Reason);
    }

    [Test]
    public async Task ServerThatNeverAnswersIsATempError()
    {
        var result = await CheckAsync(z => z.AddFailure("example.com", DnsResponseStatus.Timeout), "192.0.2.7", "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.TempError));
            Assert.That(result.Reason, Does.Contain("Timeout"));
        });
    }

    [Test]
    public async Task TimeoutInsideAnIncludeIsATempError()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 include:_spf.provider.example -all");
                z.AddFailure("_spf.provider.example", DnsResponseStatus.ServerFailure);
            },
            "192.0.2.7",
            "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.TempError));
            Assert.That(result.Reason, Does.Contain("include:_spf.provider.example").And.Contain("ServerFailure"));
        });
    }

    [Test]
    public async Task SlowEvaluationStopsWithTempError()
    {
        // Each timestamp read moves the clock 15 s on: the second lookup term starts after the 20 s limit.
        var options = new SpfOptions { TimeProvider = new FixedTimeProvider(0, TimeSpan.FromSeconds(15)) };
        var result = await CheckAsync(
            z => z.AddTxt("example.com", "v=spf1 a:a.example.com a:b.example.com a:c.example.com -all"),
            "192.0.2.7",
            "user@example.com",
            options: options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.TempError));
            Assert.That(result.Reason, Does.Contain("longer than 20 s"));
        });
    }

    [Test]
    public async Task ExplanationProblemsNeverChangeTheResult()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 -all exp=explain.example.com");
                z.AddFailure("explain.example.com", DnsResponseStatus.Timeout);
            },
            "192.0.2.7",
            "user@example.com",
            options: new SpfOptions { DefaultExplanation = "fallback for %{d}" });

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.Fail));
            Assert.That(result.Explanation, Is.EqualTo("fallback for example.com"));
        });
    }

    [Test]
    public async Task MultipleSpfRecordsAreAPermError()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 -all");
                z.AddTxt("example.com", "V=SPF1 +all");
                z.AddTxt("example.com", "v=spf10 unrelated");
            },
            "192.0.2.7",
            "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("more than one 'v=spf1'"));
        });
    }

    [Test]
    public async Task MxWithMoreThanTenNamesIsAPermError()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 mx -all");
                for (var i = 0; i < 11; i++)
                {
                    z.AddMx("example.com", (ushort)i, $"mx{i}.example.com");
                }
            },
            "192.0.2.7",
            "user@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(result.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(result.Reason, Does.Contain("11 MX names"));
        });
    }

    [Test]
    public async Task PtrLooksAtTheFirstTenNamesOnly()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 ptr -all");
                for (var i = 0; i < 10; i++)
                {
                    z.AddPtr("7.2.0.192.in-addr.arpa", $"host{i}.elsewhere.example");
                }

                z.AddPtr("7.2.0.192.in-addr.arpa", "mail.example.com");
                z.AddA("mail.example.com", IPAddress.Parse("192.0.2.7"));
            },
            "192.0.2.7",
            "user@example.com");

        Assert.That(result.Code, Is.EqualTo(SpfResultCode.Fail), "the 11th PTR name is ignored (RFC 7208 §4.6.4)");
    }

    [Test]
    public async Task ValidatedPtrNameMatches()
    {
        var result = await CheckAsync(
            z =>
            {
                z.AddTxt("example.com", "v=spf1 ptr -all");
                z.AddPtr("7.2.0.192.in-addr.arpa", "mail.example.com");
                z.AddA("mail.example.com", IPAddress.Parse("192.0.2.7"));
            },
            "192.0.2.7",
            "user@example.com");

        Assert.That(result.Code, Is.EqualTo(SpfResultCode.Pass), result.Reason);
    }

    [Test]
    public void InvalidDefaultExplanationIsAConfigurationError() =>
        Assert.That(
            () => new SpfEvaluator(new ZoneResolver(new DnsZone()), new SpfOptions { DefaultExplanation = "bad %{z}" }),
            Throws.ArgumentException.With.Message.Contains("position 7"));
}
