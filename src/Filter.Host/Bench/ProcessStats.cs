using System.Diagnostics;
using System.Globalization;

namespace Filter.Host.Bench;

/// <summary>
/// Reads another process's CPU time and memory from /proc (Linux only), so the load tool can
/// report the target's own cost while both share the same cores. Returns null when the process
/// is gone or /proc is not there, never throws.
/// </summary>
internal static class ProcessStats
{
    private static readonly Lazy<long> s_clockTicks = new(ReadClockTicks);

    /// <summary>Clock ticks per second (getconf CLK_TCK; 100 if it cannot be asked).</summary>
    public static long ClockTicksPerSecond => s_clockTicks.Value;

    /// <summary>User plus system CPU time of <paramref name="pid"/> (fields 14 and 15 of /proc/PID/stat), in milliseconds.</summary>
    public static double? ReadCpuMilliseconds(int pid)
    {
        string? stat = ReadText($"/proc/{pid}/stat");
        return stat is null ? null : ParseCpuMilliseconds(stat, ClockTicksPerSecond);
    }

    /// <summary>VmRSS and VmHWM of <paramref name="pid"/> from /proc/PID/status, in KiB.</summary>
    public static ProcessMemory? ReadMemory(int pid)
    {
        string? status = ReadText($"/proc/{pid}/status");
        return status is null ? null : ParseMemory(status);
    }

    /// <summary>
    /// Resets the peak resident set (VmHWM) of <paramref name="pid"/> to its current RSS by writing
    /// 5 to /proc/PID/clear_refs (Linux 4.0+, proc(5)), so that a later reading is the peak of
    /// what ran in between. False when the kernel or the permissions do not allow it.
    /// </summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static double? ParseCpuMilliseconds(string stat, long ticksPerSecond)
    {
        // proc(5): field 2 is "(comm)" and comm may hold spaces or parentheses, so count fields
        // after the last ')'. utime is field 14, stime field 15; after ')' the next token is field 3.
        int close = stat.LastIndexOf(')');
        if (close < 0 || ticksPerSecond <= 0)
        {
            return null;
        }

        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long stime))
        {
            return null;
        }

        return (utime + stime) * 1000.0 / ticksPerSecond;
    }

    internal static ProcessMemory? ParseMemory(string status)
    {
        long? rss = null;
        long? hwm = null;
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = KiB(line);
            }
        }

        return rss is null || hwm is null ? null : new ProcessMemory(rss.Value, hwm.Value);
    }

    private static long? KiB(string line)
    {
        string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ReadClockTicks()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return 100;
            }

            string text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: USER_HZ is 100 on every Linux architecture .NET runs on.
            return 100;
        }
    }
}
