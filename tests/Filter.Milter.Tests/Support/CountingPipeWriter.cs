using System.IO.Pipelines;

namespace Filter.Milter.Tests.Support;

/// <summary>A pipe writer that records how many bytes each flush carried.</summary>
internal sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    private int _pending;

    public List<int> Flushes { get; } = [];

    public override void Advance(int bytes)
    {
        _pending += bytes;
        inner.Advance(bytes);
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (Flushes)
        {
            Flushes.Add(_pending);
            _pending = 0;
        }

        return inner.FlushAsync(cancellationToken);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
}
