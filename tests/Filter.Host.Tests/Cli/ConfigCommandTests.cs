using System.CommandLine;
using Filter.Host.Cli;

namespace Filter.Host.Tests.Cli;

/// <summary>`authfilter config check [FILE]` through the real command tree: exit codes, stdout and stderr.</summary>
[TestFixture]
public sealed class ConfigCommandTests
{
    private static string ConfigData => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "config");

    [Test]
    public void BrokenFilePrintsEachErrorAsFileLineColumnAndExitsOne()
    {
        var file = Path.Combine(ConfigData, "broken", "many-errors.yaml");

        var (exitCode, output, error) = Run("config", "check", file);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(Lines(error), Is.EqualTo(new[]
            {
                file + ":4:17: actions.dmarc-reject: expected one of reject, quarantine, accept-and-tag, got 'bounce'",
                file + ":7:13: limits.sessions: 0 is out of range; expected an integer from 1 to 65536",
                file + ":8:17: limits.header-count: expected an integer from 16 to 100000, got 'lots'",
                file + ":10:13: replies.tempfail: a tempfail reply needs a 4xx code (RFC 5321 §4.2.1), got 550",
                file + ": 4 errors",
            }));
        });
    }

    [Test]
    public void SyntaxErrorExitsOneWithItsPosition()
    {
        var file = Path.Combine(ConfigData, "broken", "yaml-unclosed-flow.yaml");

        var (exitCode, _, error) = Run("config", "check", file);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(Lines(error), Is.EqualTo(new[]
            {
                file + ":2:13: YAML syntax error: this '[' is never closed",
                file + ": 1 error",
            }));
        });
    }

    [Test]
    public void MissingFileExitsOne()
    {
        var file = Path.Combine(ConfigData, "no-such-file.yaml");

        var (exitCode, output, error) = Run("config", "check", file);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(Lines(error), Is.EqualTo(new[] { file + ": file not found", file + ": 1 error" }));
        });
    }

    [Test]
    public void ValidFilePrintsTheEffectivePolicyWithDefaultsMarkedAndExitsZero()
    {
        var file = Path.Combine(ConfigData, "valid", "nulls-and-aliases.yaml");

        var (exitCode, output, error) = Run("config", "check", file);

        var lines = Lines(output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(error, Is.Empty);
            Assert.That(lines[0], Is.EqualTo("# " + file + ": valid. Effective policy; \"(default)\" marks built-in defaults."));
            Assert.That(lines, Does.Contain("dns.timeout                    2s  (default)"));
            Assert.That(lines, Does.Contain("actions.dmarc-reject           reject  (default)"));
            Assert.That(lines, Does.Contain("spf.check-helo".PadRight(30) + " false  (default)"));
            Assert.That(lines, Does.Contain("overrides[0]                   from-domain a.example -> lower"));
            Assert.That(lines, Does.Contain("overrides[1]                   from-domain b.example -> lower"));
            Assert.That(lines, Does.Contain("metrics.listen                 127.0.0.1:9464"));
            Assert.That(lines.Count(l => l.StartsWith("authserv-id ", StringComparison.Ordinal) && l.EndsWith("  (default: host name)", StringComparison.Ordinal)), Is.EqualTo(1));

            // One line per setting: the header, 36 settings besides overrides, and the two overrides.
            Assert.That(lines, Has.Length.EqualTo(1 + 36 + 2));
        });
    }

    [Test]
    public void WarningsGoToStandardErrorAndStillExitZero()
    {
        var file = Path.Combine(ConfigData, "valid", "psl-in-rfc9989-mode.yaml");

        var (exitCode, output, error) = Run("config", "check", file);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(Lines(error), Is.EqualTo(new[]
            {
                file + ":3:23: warning: dmarc.public-suffix-list is not used in rfc9989 mode (RFC 9989 §4.10 finds the organizational domain by the DNS Tree Walk)",
            }));
            Assert.That(output, Does.Contain("dmarc.public-suffix-list       none (not used in rfc9989 mode)  (default)"));
        });
    }

    [Test]
    public void WithoutFileChecksFilterYamlInTheCurrentDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("authfilter-config-check-");
        var previous = Environment.CurrentDirectory;
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "filter.yaml"), "dns:\n  retries: 9\n");
            Environment.CurrentDirectory = directory.FullName;

            var (exitCode, _, error) = Run("config", "check");

            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(1));
                Assert.That(Lines(error), Is.EqualTo(new[]
                {
                    "filter.yaml:2:12: dns.retries: 9 is out of range; expected an integer from 0 to 5",
                    "filter.yaml: 1 error",
                }));
            });
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            directory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = AuthFilterCommandLine.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
