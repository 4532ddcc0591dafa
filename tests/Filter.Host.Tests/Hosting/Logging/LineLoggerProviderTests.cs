using System.Text;
using Filter.Host.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Tests.Hosting.Logging;

public sealed class LineLoggerProviderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 21, 4, 5, 67, TimeSpan.Zero);

    [Test]
    public void Console_form_has_a_utc_timestamp_level_category_and_event_id()
    {
        string text = Run(journal: false, logger =>
        {
            logger.Log(LogLevel.Information, new EventId(1000, "MessageJudged"), "queue=Q1 verdict=accept");
            logger.Log(LogLevel.Error, new EventId(1001), "check failed");
        });

        Assert.That(text, Is.EqualTo(
            "2026-11-25T21:04:05.067Z info: Test.Category[1000] queue=Q1 verdict=accept\n"
            + "2026-11-25T21:04:05.067Z fail: Test.Category[1001] check failed\n"));
    }

    [Test]
    public void Journal_form_starts_with_the_syslog_priority_and_has_no_timestamp()
    {
        string text = Run(journal: true, logger =>
        {
            logger.Log(LogLevel.Information, new EventId(1000), "a");
            logger.Log(LogLevel.Warning, new EventId(1103), "b");
            logger.Log(LogLevel.Critical, new EventId(1), "c");
        });

        Assert.That(text, Is.EqualTo("<6>Test.Category[1000] a\n<4>Test.Category[1103] b\n<2>Test.Category[1] c\n"));
    }

    [Test]
    public void An_entry_stays_one_line_with_its_exception()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException caught)
        {
            exception = caught;
        }

        string text = Run(journal: true, logger => logger.Log(LogLevel.Error, new EventId(1102), exception, "Errors:\n  line 3\r\n  line 4"));

        Assert.Multiple(() =>
        {
            Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
            Assert.That(text, Does.StartWith("<3>Test.Category[1102] Errors:   line 3   line 4 System.InvalidOperationException: boom "));
            Assert.That(text, Does.Contain(nameof(An_entry_stays_one_line_with_its_exception)));
        });
    }

    [Test]
    public void Lines_from_many_threads_all_arrive_whole()
    {
        const int threads = 4;
        const int perThread = 2000;
        string text = Run(journal: true, logger =>
        {
            Parallel.For(0, threads, t =>
            {
                for (int i = 0; i < perThread; i++)
                {
                    logger.Log(LogLevel.Information, new EventId(1000), "thread={Thread} line={Line} end", t, i);
                }
            });
        });

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>();
        foreach (string line in lines)
        {
            Assert.That(line, Does.Match(@"^<6>Test\.Category\[1000\] thread=\d line=\d+ end$"));
            seen.Add(line);
        }

        Assert.That(seen, Has.Count.EqualTo(threads * perThread));
    }

    [Test]
    public void Each_thread_keeps_its_order()
    {
        string text = Run(journal: true, logger =>
        {
            for (int i = 0; i < 5000; i++)
            {
                logger.Log(LogLevel.Information, new EventId(7), "{Line}", i);
            }
        });

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(5000));
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.That(lines[i], Is.EqualTo("<6>Test.Category[7] " + i));
        }
    }

    [Test]
    public void A_stuck_output_drops_lines_instead_of_blocking_and_says_so_later()
    {
        var output = new GatedStream();
        var provider = new LineLoggerProvider(output, journal: true, new FixedTime());
        ILogger logger = provider.CreateLogger("Test.Category");
        string payload = new('x', 1000);

        // The first batch blocks in Write; everything after piles up until the bound, then is dropped.
        logger.Log(LogLevel.Information, new EventId(1), "first");
        Assert.That(output.Entered.Wait(TimeSpan.FromSeconds(10)), Is.True, "the writer reached the output");
        int lines = LineLoggerProvider.MaxBufferedChars / 1000 + 100;
        for (int i = 0; i < lines; i++)
        {
            logger.Log(LogLevel.Information, new EventId(2), payload);
        }

        long dropped = provider.Dropped;
        output.Open.Set();
        provider.Dispose();

        string text = output.Text;
        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.GreaterThan(0));
            Assert.That(text, Does.Contain($"[1303] {dropped} log lines were dropped"));
            Assert.That(text, Does.StartWith("<6>Test.Category[1] first\n"));
        });
    }

    [Test]
    public void Dispose_writes_what_is_queued()
    {
        var output = new MemoryStream();
        var provider = new LineLoggerProvider(output, journal: true, new FixedTime());
        ILogger logger = provider.CreateLogger("C");
        logger.Log(LogLevel.Information, new EventId(1), "last words");
        provider.Dispose();

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("<6>C[1] last words\n"));
    }

    private static string Run(bool journal, Action<ILogger> write)
    {
        var output = new MemoryStream();
        var provider = new LineLoggerProvider(output, journal, new FixedTime());
        write(provider.CreateLogger("Test.Category"));
        provider.Dispose();
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => s_now;
    }

    /// <summary>An output whose writes wait until the test opens it.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly MemoryStream _inner = new();

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Open { get; } = new();

        public string Text
        {
            get
            {
                lock (_inner)
                {
                    return Encoding.UTF8.GetString(_inner.ToArray());
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Entered.Set();
            Open.Wait();
            lock (_inner)
            {
                _inner.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
