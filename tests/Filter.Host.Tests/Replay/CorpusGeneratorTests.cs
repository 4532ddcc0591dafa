using System.CommandLine;
using Filter.Host.Cli;
using Filter.Testing;

namespace Filter.Host.Tests.Replay;

/// <summary>The committed sample corpus is exactly what the generator writes, and replaying it meets every expectation.</summary>
public sealed class CorpusGeneratorTests
{
    private static string Committed => TestPaths.InRepository("samples", "corpus");

    /// <summary>Rewrites samples/corpus; run by hand after changing the generator, then commit the output.</summary>
    [Test]
    [Explicit("writes into the repository's samples/corpus; run by hand after changing CorpusGenerator")]
    public void Regenerate() => CorpusGenerator.Write(Committed);

    [Test]
    public void CommittedCorpus_IsExactlyWhatTheGeneratorWrites()
    {
        var directory = Path.Combine(Path.GetTempPath(), "authfilter-corpus-" + Guid.NewGuid().ToString("N"));
        try
        {
            CorpusGenerator.Write(directory);
            var generated = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
            Assert.That(generated, Has.Length.GreaterThan(60));
            Assert.Multiple(() =>
            {
                foreach (var file in generated)
                {
                    var relative = Path.GetRelativePath(directory, file);
                    var committed = Path.Combine(Committed, relative);
                    Assert.That(File.Exists(committed), Is.True, relative + " is not committed");
                    if (File.Exists(committed))
                    {
                        Assert.That(File.ReadAllBytes(committed), Is.EqualTo(File.ReadAllBytes(file)), relative + " differs from the generator's output");
                    }
                }
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task ReplayOfSampleCorpus_MeetsEveryExpectation()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AuthFilterCommandLine.Create().Parse(["replay", Committed]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output + error.ToString());
            Assert.That(output.ToString(), Does.Contain("66 messages, 66 as expected, 0 failed"));
        });
    }
}
