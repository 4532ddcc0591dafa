using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Filter.Benchmarks.Dkim;
using Filter.Engine.Dkim;

namespace Filter.Benchmarks.Probe;

/// <summary>
/// <c>machine-phases [SECONDS]</c>: whether the machine is steady enough to benchmark on. Every half
/// second it prints the fastest run, within that half second, of four kinds of work on the same
/// thread: DKIM's relaxed copy (vector ALU), a scalar byte loop (integer ALU), SHA-256 (OpenSSL,
/// SHA extensions where the CPU has them) and one RSA-2048 verify (OpenSSL bignum code). On a quiet
/// machine each column stays flat. A shared VM whose physical cores also run other work shows slow
/// phases: ALU-bound columns slow down together while SHA-256 may not, so a benchmark that compares
/// managed work with a SHA-bound floor, each measured in its own process at its own time, reads
/// high when only one of them met a slow phase. The summary counts the half seconds in which the copy
/// ran more than 25 % slower than its best.
/// </summary>
internal static class MachinePhaseProbe
{
    public const string Verb = "machine-phases";

    private const int BodySize = 256 * 1024;
    private const int OutputSize = 16 * 1024;
    private const double SlowFactor = 1.25;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 30;
        var body = DkimBenchmarkMessage.MakeBody(BodySize);
        var output = new byte[OutputSize + DkimRelaxedCopy.Slack];
        using var rsa = RSA.Create(2048);
        var digest = SHA256.HashData(body);
        var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        // Warm-up: long enough for the JIT's tiers to settle on the loops measured.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(2))
        {
            Copy(body, output);
            Scalar(body);
        }

        Console.WriteLine("time     copy ns/B  scalar ns/B  sha256 ns/B  rsa verify µs");
        var copies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            long copy = long.MaxValue, scalar = long.MaxValue, sha = long.MaxValue, verify = long.MaxValue;
            var end = clock.Elapsed + Window;
            while (clock.Elapsed < end)
            {
                copy = Math.Min(copy, Time(() => Copy(body, output)));
                scalar = Math.Min(scalar, Time(() => Scalar(body)));
                sha = Math.Min(sha, Time(() => SHA256.HashData(body)));
                verify = Math.Min(verify, Time(() => rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
            }

            copies.Add(PerByte(copy));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{clock.Elapsed.TotalSeconds,5:F1} s  {PerByte(copy),9:F3}  {PerByte(scalar),11:F3}  {PerByte(sha),11:F3}  {Stopwatch.GetElapsedTime(0, verify).TotalMicroseconds,13:F1}"));
        }

        var best = copies.Min();
        var slow = copies.Count(c => c > best * SlowFactor);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"copy slower than {SlowFactor:F2}x its best ({best:F3} ns/B) in {slow} of {copies.Count} half seconds"));
        return 0;
    }

    private static long Time(Action work)
    {
        var start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetTimestamp() - start;
    }

    private static double PerByte(long ticks) => Stopwatch.GetElapsedTime(0, ticks).TotalNanoseconds / BodySize;

    /// <summary>The relaxed copy over the whole body, as the body hasher drives it (from just after a content byte).</summary>
    private static void Copy(byte[] body, byte[] output)
    {
        var i = 1;
        while (i < body.Length - 64)
        {
            var next = DkimRelaxedCopy.Copy(body, i, output, out _);

            // Where the copy takes nothing (a block it leaves to the state machine), step over it.
            i = next == i ? i + 3 : next;
        }
    }

    /// <summary>A dependent multiply-add per byte: integer ALU work with no memory stalls (the body sits in L2).</summary>
    private static uint Scalar(byte[] body)
    {
        uint hash = 0;
        foreach (var b in body)
        {
            hash = (hash * 31) + b;
        }

        return hash;
    }
}
