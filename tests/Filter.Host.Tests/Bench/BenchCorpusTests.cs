using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

public sealed class BenchCorpusTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "authfilter-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Envelope_comes_from_the_manifest_when_listed_else_from_the_headers()
    {
        File.WriteAllText(Path.Combine(_folder, "a.eml"), "From: Alice <alice@example.org>\r\nTo: bob@example.net, carol@example.net\r\nSubject: a\r\n\r\nbody\r\n");
        File.WriteAllText(Path.Combine(_folder, "b.eml"), "From: x@example.com\nSubject: b\n\nbody\n");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a message");
        File.WriteAllText(Path.Combine(_folder, BenchCorpus.ManifestName), "# file\tmail from\trcpts\nb.eml\tbounce@example.com\t<r1@example.net> r2@example.net\n");

        BenchCorpusLoad load = BenchCorpus.Load(_folder);

        Assert.That(load.Corpus, Is.Not.Null, load.Error);
        BenchCorpus corpus = load.Corpus!;
        Assert.Multiple(() =>
        {
            Assert.That(corpus.Names, Is.EqualTo(new[] { "a.eml", "b.eml" }));
            Assert.That(corpus.Messages[0].Sender, Is.EqualTo("<alice@example.org>"));
            Assert.That(corpus.Messages[0].Recipients, Is.EqualTo(new[] { "<bob@example.net>" }));
            Assert.That(corpus.Messages[0].Headers, Has.Count.EqualTo(3));
            Assert.That(corpus.Messages[1].Sender, Is.EqualTo("<bounce@example.com>"));
            Assert.That(corpus.Messages[1].Recipients, Is.EqualTo(new[] { "<r1@example.net>", "<r2@example.net>" }));
        });
    }

    [Test]
    public void An_empty_folder_or_a_bad_manifest_line_is_an_error()
    {
        Assert.That(BenchCorpus.Load(_folder).Error, Does.Contain("no .eml files"));

        File.WriteAllText(Path.Combine(_folder, "a.eml"), "From: a@example.org\r\n\r\nx\r\n");
        File.WriteAllText(Path.Combine(_folder, BenchCorpus.ManifestName), "a.eml only-two-fields\n");
        Assert.That(BenchCorpus.Load(_folder).Error, Does.Contain(":1: expected"));
    }
}
