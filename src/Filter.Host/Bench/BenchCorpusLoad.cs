namespace Filter.Host.Bench;

/// <summary>The outcome of loading a corpus folder: the corpus, or why not.</summary>
internal sealed record BenchCorpusLoad(BenchCorpus? Corpus, string? Error)
{
    public static BenchCorpusLoad Loaded(BenchCorpus corpus) => new(corpus, null);

    public static BenchCorpusLoad Failed(string error) => new(null, error);
}
