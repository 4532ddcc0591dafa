using Filter.Milter.Client;
using Filter.Milter.Protocol;

namespace Filter.Host.Bench;

/// <summary>
/// Sends one message on its own session and describes what the milter answered (header edits and
/// decision), so a benchmark can show that the target really judged the corpus (e.g. that its
/// Authentication-Results say dkim=pass) before its speed is believed.
/// </summary>
internal static class BenchProbe
{
    public static async Task<IReadOnlyList<string>> DescribeAsync(BenchOptions options, MilterClientMessage message, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var tally = new BenchResult();
        MilterClient? client = await BenchRunner.OpenAsync(options, 0, tally, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            lines.Add("probe: cannot open a session");
            return lines;
        }

        try
        {
            MilterMessageResult result = await client.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
            foreach (MilterResponse edit in result.Modifications)
            {
                lines.Add(edit switch
                {
                    InsertHeaderResponse insert => $"probe: insert header at {insert.Index}: {insert.Name}: {insert.Value}",
                    AddHeaderResponse add => $"probe: add header: {add.Name}: {add.Value}",
                    ChangeHeaderResponse change => $"probe: change header {change.Name}[{change.Index}]: {change.Value}",
                    _ => $"probe: modification {edit.Code}",
                });
            }

            lines.Add($"probe: {result.Action} at {result.DecidedAt} ({result.Decision.Code}{(result.ReplyText is null ? string.Empty : " " + result.ReplyText)})");
            await client.SendQuitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or MilterProtocolException)
        {
            lines.Add($"probe: {exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            await BenchRunner.DisposeQuietlyAsync(client).ConfigureAwait(false);
        }

        return lines;
    }
}
