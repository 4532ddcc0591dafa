using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.Benchmarks.Floor;

/// <summary>
/// A milter that checks nothing: every step continues and end of message inserts one fixed
/// Authentication-Results-sized header and accepts. What <c>authfilter serve</c> costs over this is
/// the cost of SPF, DKIM, DMARC, the real header and the log line; what this costs is the floor
/// of the socket, the runtime and the milter session.
/// </summary>
internal sealed class NullMilterHandler : IMilterHandler
{
    /// <summary>The size and shape of the header the daemon writes for the benchmark corpus (about 330 bytes).</summary>
    internal const string HeaderValue =
        " mx.example.net;\r\n\tspf=pass reason=\"127.0.0.1 matched 'ip4:127.0.0.0/8' in bench.example's\r\n record\" smtp.mailfrom=alice@bench.example;\r\n" +
        "\tdkim=pass reason=\"signature verified\" header.d=bench.example header.s=s1\r\n\t  header.a=rsa-sha256 header.b=P4enOHF6;\r\n" +
        "\tdmarc=pass (disposition=none) reason=\"SPF (bench.example) and DKIM\r\n (bench.example) aligned\" header.from=bench.example policy.dmarc=reject";

    private static readonly MilterMessageOutcome s_outcome = new(
        MilterDecision.Continue,
        [new InsertHeaderResponse(0, "Authentication-Results", HeaderValue.Replace("\r\n", "\n", StringComparison.Ordinal))]);

    /// <inheritdoc />
    public ValueTask<MilterMessageOutcome> OnEndOfMessageAsync(MilterContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(s_outcome);
}
