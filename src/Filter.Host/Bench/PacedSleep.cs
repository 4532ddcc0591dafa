using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Filter.Host.Bench;

/// <summary>
/// Sleeps a paced connection's own thread until its next message is due, as an MTA's smtpd
/// process waits for its next client. On Linux one clock_nanosleep(2) with nanosecond precision,
/// as the C lean client does; <see cref="Thread.Sleep(int)"/> and <see cref="WaitHandle.WaitOne(int)"/>
/// round to whole milliseconds and cost a futex wait and a futex wake each. Elsewhere, or if libc
/// cannot be called, it waits on the run's cancellation handle. Waits longer than
/// <see cref="Slice"/> are cut into slices so that a cancelled run stops within one.
/// </summary>
internal static class PacedSleep
{
    /// <summary>The longest single wait: cancellation is checked between slices.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    private const int ClockMonotonic = 1;

    private static bool s_nativeSleep = OperatingSystem.IsLinux();

    /// <summary>
    /// Binds the native call (library probe, marshalling stub) with a zero-length sleep, so that
    /// the connection threads do not all do it at their first wait, inside the measured run, on
    /// cores the target needs.
    /// </summary>
    public static void Prepare()
    {
        if (s_nativeSleep)
        {
            TrySleepNative(TimeSpan.Zero);
        }
    }

    /// <summary>Returns at <paramref name="dueTimestamp"/> (a <see cref="Stopwatch"/> timestamp) or later; throws when cancelled.</summary>
    public static void Until(long dueTimestamp, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining > Slice)
            {
                cancellationToken.WaitHandle.WaitOne(Slice);
            }
            else if (!s_nativeSleep || !TrySleepNative(remaining))
            {
                // Whole milliseconds only: round up, so as never to come back early and spin.
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)));
            }
        }
    }

    private static bool TrySleepNative(TimeSpan duration)
    {
        long nanoseconds = duration.Ticks * 100;
        var request = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        try
        {
            // A relative sleep: EINTR (a signal) only returns early, and the loop sleeps the rest.
            clock_nanosleep(ClockMonotonic, 0, ref request, IntPtr.Zero);
            return true;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            s_nativeSleep = false;
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int clock_nanosleep(int clockId, int flags, ref Timespec request, IntPtr remaining);

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
