using System.CommandLine;
using System.Text.Json;
using Filter.Host.Cli;
using Filter.Testing;

namespace Filter.Host.Tests.Replay;

/// <summary>
/// The committed corpora (samples/corpus and the HELO corpus under Data/Replay) are exactly what the
/// generator writes, and replaying them meets every expectation.
/// </summary>
public sealed class CorpusGeneratorTests
{
    private static string Committed => TestPaths.InRepository("samples", "corpus");

    private static string CommittedHelo => TestPaths.InRepository("tests", "Filter.Host.Tests", "Data", "Replay", "helo-corpus");

    /// <summary>Rewrites samples/corpus and the HELO corpus; run by hand after changing the generator, then commit the output.</summary>
    [Test]
    [Explicit("writes into the repository's samples/corpus and Data/Replay/helo-corpus; run by hand after changing CorpusGenerator")]
    public void Regenerate()
    {
        CorpusGenerator.Write(Committed);
        CorpusGenerator.WriteHeloCorpus(CommittedHelo);
    }

    [Test]
    public void CommittedCorpus_IsExactlyWhatTheGeneratorWrites() => AssertCommittedEqualsGenerated(Committed, CorpusGenerator.Write, 60);

    [Test]
    public void CommittedHeloCorpus_IsExactlyWhatTheGeneratorWrites() => AssertCommittedEqualsGenerated(CommittedHelo, CorpusGenerator.WriteHeloCorpus, 6);

    [Test]
    public async Task ReplayOfSampleCorpus_MeetsEveryExpectation()
    {
        var (exitCode, output, error) = await RunAsync("replay", Committed);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output + error);
            Assert.That(output, Does.Contain("66 messages, 66 as expected, 0 failed"));
        });
    }

    [Test]
    public async Task ReplayOfHeloCorpus_MeetsEveryExpectation_AndRecordsEachHeloResult()
    {
        var (exitCode, output, error) = await RunAsync("replay", CommittedHelo, "--json");

        Assert.That(exitCode, Is.Zero, output + error);
        using var document = JsonDocument.Parse(output);
        var messages = document.RootElement.GetProperty("messages");
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("failed").GetInt32(), Is.Zero);
            Assert.That(messages.GetArrayLength(), Is.EqualTo(CorpusGenerator.HeloExpectations.Count));
            foreach (var message in messages.EnumerateArray())
            {
                var file = message.GetProperty("file").GetString()!;
                var outcome = message.GetProperty("outcome");
                var helo = outcome.GetProperty("spfHelo");
                Assert.That(helo.GetProperty("result").GetString(), Is.EqualTo(CorpusGenerator.HeloExpectations[file]), file);
                Assert.That(helo.GetProperty("identity").GetString(), Is.EqualTo("helo"), file);
                Assert.That(outcome.GetProperty("authenticationResults").GetString(), Does.Contain("smtp.helo="), file);
            }
        });
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static void AssertCommittedEqualsGenerated(string committed, Action<string> write, int minimumMessages)
    {
        var directory = Path.Combine(Path.GetTempPath(), "authfilter-corpus-" + Guid.NewGuid().ToString("N"));
        try
        {
            write(directory);
            var generated = Relative(directory);
            Assert.Multiple(() =>
            {
                Assert.That(generated.Count(f => f.EndsWith(".eml", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(minimumMessages));
                Assert.That(Relative(committed), Is.EquivalentTo(generated), "the committed files are the generated ones, no more, no fewer");
                foreach (var relative in generated)
                {
                    var file = Path.Combine(committed, relative);
                    if (File.Exists(file))
                    {
                        Assert.That(File.ReadAllBytes(file), Is.EqualTo(File.ReadAllBytes(Path.Combine(directory, relative))), relative + " differs from the generator's output");
                    }
                }
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> Relative(string directory)
    {
        var files = new List<string>();
        foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            files.Add(Path.GetRelativePath(directory, file));
        }

        return files;
    }
}
