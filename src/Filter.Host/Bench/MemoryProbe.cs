using System.Text;
using Filter.Milter.Client;

namespace Filter.Host.Bench;

/// <summary>
/// The two memory loads of the acceptance criteria: many idle sessions held open, and one very
/// large message sent in 64 KiB body chunks. The caller reads the target's RSS around them.
/// </summary>
internal static class MemoryProbe
{
    /// <summary>
    /// Opens <paramref name="count"/> sessions (OPTNEG, CONNECT, HELO), calls <paramref name="whileOpen"/>
    /// with all of them open, then QUITs them. Returns the tally: <see cref="BenchResult.Attempted"/>
    /// sessions tried, <see cref="BenchResult.Accepted"/> opened, <see cref="BenchResult.ConnectFailures"/> failed.
    /// </summary>
    public static async Task<BenchResult> IdleConnectionsAsync(BenchOptions options, int count, Func<Task> whileOpen, CancellationToken cancellationToken)
    {
        var tally = new BenchResult();
        var clients = new List<MilterClient>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                tally.Attempted++;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.MessageTimeout);
                MilterClient? client = await BenchRunner.OpenAsync(options, i, tally, timeout.Token).ConfigureAwait(false);
                if (client is not null)
                {
                    clients.Add(client);
                    tally.Accepted++;
                }
            }

            await whileOpen().ConfigureAwait(false);
        }
        finally
        {
            foreach (MilterClient client in clients)
            {
                try
                {
                    await client.SendQuitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // Already closed by the milter: nothing to say goodbye to.
                }

                await BenchRunner.DisposeQuietlyAsync(client).ConfigureAwait(false);
            }
        }

        return tally;
    }

    /// <summary>A synthetic message of about <paramref name="bodyBytes"/> body bytes in 78-byte lines, envelope from a loopback domain.</summary>
    public static MilterClientMessage LargeMessage(long bodyBytes)
    {
        const string header = "From: <big@bench.localhost>\r\nTo: <postmaster@localhost>\r\nSubject: large message\r\nMessage-ID: <large@bench.localhost>\r\n\r\n";
        byte[] line = Encoding.ASCII.GetBytes(new string('x', 76) + "\r\n");
        long lines = Math.Max(1, bodyBytes / line.Length);
        byte[] message = new byte[header.Length + (lines * line.Length)];
        Encoding.ASCII.GetBytes(header, message);
        for (long i = 0; i < lines; i++)
        {
            line.CopyTo(message, header.Length + (i * line.Length));
        }

        return MilterClientMessage.Parse(message, "<big@bench.localhost>", ["<postmaster@localhost>"]);
    }
}
