using System.Net;
using Filter.Engine.Dmarc;
using Filter.Engine.Policy;
using Filter.Host.Configuration;
using Filter.Testing;

namespace Filter.Host.Tests.Configuration;

/// <summary>Valid policy files: defaults of an empty file, a file that sets everything, the shipped filter.yaml.</summary>
[TestFixture]
public sealed class ValidPolicyFileTests
{
    private const string HostName = "mx.test.example";

    private static string ValidDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "config", "valid");

    private static PolicyFileLoader Loader => new(HostName);

    [TestCase("")]
    [TestCase("# only a comment\n")]
    [TestCase("---\n")]
    [TestCase("---\n...\n")]
    public void EmptyFileMeansEveryDefault(string text)
    {
        var result = Loader.LoadText(text, "filter.yaml", "/");

        Assert.That(result.Diagnostics, Is.Empty);
        var policy = result.Policy!;
        Assert.Multiple(() =>
        {
            Assert.That(PolicySummaryFormatter.Settings(policy), Is.EqualTo(PolicySummaryFormatter.Settings(FilterPolicy.Default with { AuthservId = HostName })));
            Assert.That(result.ExplicitKeys, Is.Empty);

            // The safe, standard defaults, spelled out.
            Assert.That(policy.AuthservId, Is.EqualTo(HostName));
            Assert.That(policy.Listen, Has.Count.EqualTo(1));
            Assert.That(policy.Listen[0].ToString(), Is.EqualTo("inet:127.0.0.1:8891"));
            Assert.That(policy.Dns.Nameservers, Is.Empty);
            Assert.That(policy.Dns.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(policy.Dmarc.Mode, Is.EqualTo(DmarcMode.Rfc9989));
            Assert.That(policy.Dmarc.MultipleFrom, Is.EqualTo(MultipleFromHandling.Reject));
            Assert.That(policy.Trust.Networks, Is.Empty);
            Assert.That(policy.Trust.BypassAuthenticated, Is.True);
            Assert.That(policy.Actions.DmarcReject, Is.EqualTo(DmarcRejectAction.Reject));
            Assert.That(policy.Actions.DmarcQuarantine, Is.EqualTo(DmarcQuarantineAction.Quarantine));
            Assert.That(policy.Actions.Temperror, Is.EqualTo(TemporaryFailureAction.Tempfail));
            Assert.That(policy.Actions.EngineError, Is.EqualTo(TemporaryFailureAction.Tempfail));
            Assert.That(policy.Spf.OnFail, Is.EqualTo(SpfFailAction.None));
            Assert.That(policy.Spf.CheckHelo, Is.False);
            Assert.That(policy.Replies.DmarcReject.Code, Is.EqualTo(550));
            Assert.That(policy.Replies.DmarcReject.EnhancedStatus, Is.EqualTo("5.7.1"));
            Assert.That(policy.Replies.Tempfail.Code, Is.EqualTo(451));
            Assert.That(policy.Replies.Tempfail.EnhancedStatus, Is.EqualTo("4.7.1"));
            Assert.That(policy.Dkim.MinimumRsaBits, Is.EqualTo(1024));
            Assert.That(policy.Limits.DkimSignatures, Is.EqualTo(5));
            Assert.That(policy.Limits.SpfLookups, Is.EqualTo(10));
            Assert.That(policy.Limits.SpfVoidLookups, Is.EqualTo(2));
            Assert.That(policy.Limits.DmarcTreeWalk, Is.EqualTo(8));
            Assert.That(policy.Overrides.Items, Is.Empty);
            Assert.That(policy.Metrics.Endpoint, Is.Null);
            Assert.That(policy.Recording.Enabled, Is.False);
        });
    }

    [Test]
    public void DefaultRepliesAreThemselvesValid()
    {
        var replies = FilterPolicy.Default.Replies;
        Assert.Multiple(() =>
        {
            Assert.That(SmtpReplyText.TryParse(replies.DmarcReject.ToString(), '5', out var dmarc), Is.Null);
            Assert.That(dmarc, Is.EqualTo(replies.DmarcReject));
            Assert.That(SmtpReplyText.TryParse(replies.SpfReject.ToString(), '5', out var spf), Is.Null);
            Assert.That(spf, Is.EqualTo(replies.SpfReject));
            Assert.That(SmtpReplyText.TryParse(replies.Tempfail.ToString(), '4', out var tempfail), Is.Null);
            Assert.That(tempfail, Is.EqualTo(replies.Tempfail));
        });
    }

    [Test]
    public void FileThatSetsEverythingIsBoundExactly()
    {
        var result = Loader.Load(Path.Combine(ValidDirectory, "full.yaml"));

        Assert.That(result.Diagnostics, Is.Empty);
        var policy = result.Policy!;
        Assert.Multiple(() =>
        {
            Assert.That(policy.AuthservId, Is.EqualTo("mx1.example.net"));
            Assert.That(policy.Listen.Select(s => s.ToString()), Is.EqualTo(new[]
            {
                "inet:[::1]:8891", "unix:/run/authfilter/milter.sock", "unix:/var/spool/postfix/authfilter/milter.sock",
            }));
            Assert.That(policy.Listen[1].Mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(policy.Listen[2].Mode, Is.EqualTo(ListenSocket.DefaultUnixMode));
            Assert.That(policy.Dns.Nameservers, Is.EqualTo(new[]
            {
                IPEndPoint.Parse("192.0.2.53:53"), IPEndPoint.Parse("192.0.2.54:5353"),
                IPEndPoint.Parse("[2001:db8::53]:53"), IPEndPoint.Parse("[2001:db8::54]:53"),
            }));
            Assert.That(policy.Dns.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(policy.Dns.Retries, Is.Zero);
            Assert.That(policy.Dns.CacheSize, Is.Zero);
            Assert.That(policy.Dmarc.Mode, Is.EqualTo(DmarcMode.Rfc7489));
            Assert.That(policy.Dmarc.PublicSuffixListPath, Is.EqualTo(Path.Combine(ValidDirectory, "public_suffix_list.dat")));
            Assert.That(policy.Dmarc.MultipleFrom, Is.EqualTo(MultipleFromHandling.Strictest));
            Assert.That(policy.Trust.Networks, Is.EqualTo(new[]
            {
                IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("198.51.100.7/32"),
            }));
            Assert.That(policy.Trust.BypassAuthenticated, Is.False);
            Assert.That(policy.Actions, Is.EqualTo(new OutcomeActions
            {
                DmarcReject = DmarcRejectAction.AcceptAndTag,
                DmarcQuarantine = DmarcQuarantineAction.Tag,
                Temperror = TemporaryFailureAction.Accept,
                EngineError = TemporaryFailureAction.Accept,
                TagHeader = "X-Junk-Reason",
            }));
            Assert.That(policy.Replies.DmarcReject, Is.EqualTo(new SmtpReplyTemplate(554, "5.7.26", "{domain} says: not from them ({reason}), 100%% sure")));
            Assert.That(policy.Replies.SpfReject, Is.EqualTo(new SmtpReplyTemplate(550, "5.7.23", "{domain} does not authorize this host")));
            Assert.That(policy.Replies.Tempfail, Is.EqualTo(new SmtpReplyTemplate(421, "4.4.3", "DNS trouble with {domain}")));
            Assert.That(policy.Spf.OnFail, Is.EqualTo(SpfFailAction.Reject));
            Assert.That(policy.Spf.CheckHelo, Is.True);
            Assert.That(policy.Dkim, Is.EqualTo(new DkimSettings { MinimumRsaBits = 2048, ClockSkew = TimeSpan.Zero }));
            Assert.That(policy.Overrides.Items, Is.EqualTo(new[]
            {
                new DomainOverride(OverrideIdentity.FromDomain, new DomainPattern("partner.example", false), OverrideAction.Accept, "broken DKIM key, ticket 1234"),
                new DomainOverride(OverrideIdentity.FromDomain, new DomainPattern("partner.example", true), OverrideAction.Lower, null),
                new DomainOverride(OverrideIdentity.MailFromDomain, new DomainPattern("lists.example.org", true), OverrideAction.Lower, null),
                new DomainOverride(OverrideIdentity.FromDomain, new DomainPattern("bank.example", true), OverrideAction.Raise, null),
                new DomainOverride(OverrideIdentity.FromDomain, new DomainPattern("spoofed.example", false), OverrideAction.Reject, null),
            }));
            Assert.That(policy.Limits, Is.EqualTo(new PolicyLimits
            {
                HeaderBytes = 262_144, HeaderCount = 500, PacketSize = 65_536, DkimSignatures = 3,
                SpfLookups = 8, SpfVoidLookups = 3, DmarcTreeWalk = 5, Sessions = 64,
            }));
            Assert.That(policy.Metrics.Endpoint, Is.EqualTo(IPEndPoint.Parse("[::]:9464")));
            Assert.That(policy.Metrics.AllowNonLoopback, Is.True);
            Assert.That(policy.Recording, Is.EqualTo(new RecordingSettings
            {
                Enabled = true, Directory = Path.Combine(ValidDirectory, "recordings"), SampleRate = 0.05,
            }));
        });
    }

    [Test]
    public void NullValuesMeanDefaultsAndAliasesResolve()
    {
        var result = Loader.Load(Path.Combine(ValidDirectory, "nulls-and-aliases.yaml"));

        Assert.That(result.Diagnostics, Is.Empty);
        var policy = result.Policy!;
        Assert.Multiple(() =>
        {
            Assert.That(policy.AuthservId, Is.EqualTo(HostName));
            Assert.That(policy.Dns, Is.EqualTo(new DnsSettings()));
            Assert.That(policy.Overrides.Items.Select(o => o.Action), Is.EqualTo(new[] { OverrideAction.Lower, OverrideAction.Lower }));
            Assert.That(policy.Metrics.Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 9464)));
            Assert.That(result.ExplicitKeys, Is.EquivalentTo(new[]
            {
                "dns", "overrides", "overrides[0].from-domain", "overrides[0].action", "overrides[1].from-domain",
                "overrides[1].action", "metrics", "metrics.listen",
            }));
        });
    }

    [Test]
    public void PublicSuffixListInRfc9989ModeIsAWarningNotAnError()
    {
        var result = Loader.Load(Path.Combine(ValidDirectory, "psl-in-rfc9989-mode.yaml"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Diagnostics, Is.EqualTo(new[]
            {
                new ConfigDiagnostic(
                    ConfigSeverity.Warning, 3, 23,
                    "dmarc.public-suffix-list is not used in rfc9989 mode (RFC 9989 §4.10 finds the organizational domain by the DNS Tree Walk)"),
            }));
            Assert.That(result.Policy!.Dmarc.PublicSuffixListPath, Is.Null);
        });
    }

    [Test]
    public void MilterSocketBeyondLoopbackIsAWarning()
    {
        var result = Loader.Load(Path.Combine(ValidDirectory, "milter-on-all-interfaces.yaml"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.Diagnostics, Is.EqualTo(new[]
            {
                new ConfigDiagnostic(
                    ConfigSeverity.Warning, 4, 5,
                    "listen[1]: inet:0.0.0.0:8892 is reachable from other hosts; the milter protocol has no authentication, so allow only your MTAs to connect (firewall)"),
            }));
            Assert.That(result.Policy!.Listen.Select(s => s.ToString()), Is.EqualTo(new[] { "inet:127.0.0.1:8891", "inet:0.0.0.0:8892" }));
        });
    }

    [Test]
    public void MissingFileIsAnErrorWithoutPosition()
    {
        var path = Path.Combine(ValidDirectory, "does-not-exist.yaml");
        var result = Loader.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.FormatDiagnostics(), Is.EqualTo(new[] { path + ": file not found" }));
        });
    }

    [Test]
    public void DirectoryIsNotAPolicyFile()
    {
        var result = Loader.Load(ValidDirectory);

        Assert.That(result.FormatDiagnostics(), Is.EqualTo(new[] { ValidDirectory + ": is a directory, not a policy file" }));
    }

    [Test]
    public void FileThatIsNotUtf8IsAnError()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "latin1-policy.yaml");
        File.WriteAllBytes(path, [.. "authserv-id: caf"u8, 0xE9, (byte)'\n']);
        try
        {
            var result = Loader.Load(path);
            Assert.Multiple(() =>
            {
                Assert.That(result.Succeeded, Is.False);
                Assert.That(result.Diagnostics.Single().Message, Does.StartWith("cannot read file: "));
                Assert.That(result.Diagnostics.Single().Line, Is.Zero);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ShippedFilterYamlIsValidAndEqualsTheDefaults()
    {
        var result = Loader.Load(TestPaths.InRepository("filter.yaml"));

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(
            PolicySummaryFormatter.Settings(result.Policy!),
            Is.EqualTo(PolicySummaryFormatter.Settings(FilterPolicy.Default with { AuthservId = HostName })),
            "the shipped file documents the defaults, so it must behave exactly like an empty file");
    }

    [Test]
    public void ShippedFilterYamlListsAndCommentsEveryKey()
    {
        var path = TestPaths.InRepository("filter.yaml");
        var lines = File.ReadAllLines(path);
        var diagnostics = new List<ConfigDiagnostic>();
        var root = (ConfigMapping)YamlConfigReader.Read(File.ReadAllText(path), diagnostics)!;

        var present = new List<string>();
        var uncommented = new List<string>();
        foreach (var (key, value) in root.Entries)
        {
            if (value is ConfigMapping section)
            {
                foreach (var (inner, _) in section.Entries)
                {
                    present.Add(key.Value + "." + inner.Value);
                    if (!lines[inner.Line - 2].TrimStart().StartsWith('#'))
                    {
                        uncommented.Add(key.Value + "." + inner.Value);
                    }
                }
            }
            else
            {
                present.Add(key.Value);
                if (!lines[key.Line - 2].TrimStart().StartsWith('#'))
                {
                    uncommented.Add(key.Value);
                }
            }
        }

        // Every setting the summary knows (i.e. every key the loader reads) must be in the file.
        var known = PolicySummaryFormatter.Settings(FilterPolicy.Default).Select(s => s.Key);
        Assert.Multiple(() =>
        {
            Assert.That(diagnostics, Is.Empty);
            Assert.That(present, Is.EquivalentTo(known));
            Assert.That(uncommented, Is.Empty, "each key has a comment line directly above it");
        });
    }
}
