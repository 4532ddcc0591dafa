namespace Filter.Host.Bench;

/// <summary>A process's resident set now (VmRSS) and its peak (VmHWM), in KiB, from /proc/PID/status.</summary>
internal sealed record ProcessMemory(long RssKiB, long HighWaterMarkKiB);
