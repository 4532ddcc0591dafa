using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

public sealed class ProcessStatsTests
{
    [Test]
    public void Own_process_cpu_time_is_read_and_grows_with_work()
    {
        double? before = ProcessStats.ReadCpuMilliseconds(Environment.ProcessId);
        double sink = 0;
        double? after = before;
        // Work until the kernel's tick-grained counter moves (at least one clock tick).
        for (int round = 0; round < 2000 && after <= before; round++)
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                sink += Math.Sqrt(i);
            }

            after = ProcessStats.ReadCpuMilliseconds(Environment.ProcessId);
        }

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Not.Null.And.GreaterThan(0));
            Assert.That(after, Is.GreaterThan(before!.Value));
            Assert.That(sink, Is.GreaterThan(0));
            Assert.That(ProcessStats.ClockTicksPerSecond, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Stat_line_with_spaces_and_parentheses_in_the_command_name()
    {
        // proc(5) fields 14 (utime) and 15 (stime) come after "(comm)", whatever comm holds.
        const string stat = "1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 100 1000 200 18446744073709551615";
        Assert.That(ProcessStats.ParseCpuMilliseconds(stat, 100), Is.EqualTo(3000.0));
    }

    [Test]
    public void Truncated_stat_line_is_null_not_an_exception()
    {
        Assert.That(ProcessStats.ParseCpuMilliseconds("1234 (x) S 1 2", 100), Is.Null);
    }

    [Test]
    public void Own_process_memory_is_read()
    {
        ProcessMemory? memory = ProcessStats.ReadMemory(Environment.ProcessId);
        Assert.That(memory, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(memory!.RssKiB, Is.GreaterThan(1024));
            Assert.That(memory.HighWaterMarkKiB, Is.GreaterThanOrEqualTo(memory.RssKiB));
        });
    }

    [Test]
    public void A_process_that_does_not_exist_reads_as_null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProcessStats.ReadCpuMilliseconds(int.MaxValue), Is.Null);
            Assert.That(ProcessStats.ReadMemory(int.MaxValue), Is.Null);
        });
    }

    [Test]
    public void The_peak_of_the_own_process_can_be_reset_to_its_current_rss()
    {
        // Raise the peak well above the current RSS and release it: 64 MiB from malloc, touched,
        // then freed (glibc returns a block this large to the kernel at once).
        RaiseAndReleasePeak(64 * 1024 * 1024);
        ProcessMemory? before = ProcessStats.ReadMemory(Environment.ProcessId);

        bool reset = ProcessStats.ResetPeak(Environment.ProcessId);
        ProcessMemory? after = ProcessStats.ReadMemory(Environment.ProcessId);

        Assert.Multiple(() =>
        {
            Assert.That(reset, Is.True, "/proc/self/clear_refs accepts 5");
            Assert.That(before!.HighWaterMarkKiB - before.RssKiB, Is.GreaterThan(48 * 1024), "the premise: a peak far above RSS");
            Assert.That(after!.HighWaterMarkKiB - after.RssKiB, Is.LessThan(16 * 1024), "VmHWM is back near VmRSS");
            Assert.That(ProcessStats.ResetPeak(int.MaxValue), Is.False, "no such process: false, not an exception");
        });
    }

    private static void RaiseAndReleasePeak(int bytes)
    {
        IntPtr block = System.Runtime.InteropServices.Marshal.AllocHGlobal(bytes);
        try
        {
            // One write per page makes every page resident.
            for (int offset = 0; offset < bytes; offset += 4096)
            {
                System.Runtime.InteropServices.Marshal.WriteByte(block, offset, 1);
            }
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(block);
        }
    }
}
