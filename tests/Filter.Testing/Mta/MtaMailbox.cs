namespace Filter.Testing.Mta;

/// <summary>
/// A directory into which an MTA writes each delivered message as one file of raw bytes
/// (a Maildir's <c>new/</c> folder for Postfix, the test mailer's folder for Sendmail).
/// </summary>
public sealed class MtaMailbox(string directory)
{
    /// <summary>The folder that receives delivered messages.</summary>
    public string Directory { get; } = directory;

    /// <summary>
    /// Waits for a delivered message whose bytes contain <paramref name="marker"/> (e.g. a unique
    /// subject) and returns its raw bytes. Delivery is asynchronous in both MTAs, hence the poll.
    /// </summary>
    /// <exception cref="TimeoutException">No such message arrived within <paramref name="bound"/>.</exception>
    public async Task<byte[]> WaitForMessageAsync(string marker, TimeSpan bound, CancellationToken cancellationToken)
    {
        byte[] needle = System.Text.Encoding.UTF8.GetBytes(marker);
        DateTime deadline = DateTime.UtcNow + bound;
        while (true)
        {
            byte[]? found = Find(needle);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"no message containing '{marker}' was delivered to {Directory}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when a delivered message contains <paramref name="marker"/> now.</summary>
    public bool Contains(string marker) => Find(System.Text.Encoding.UTF8.GetBytes(marker)) is not null;

    private byte[]? Find(byte[] needle)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return null;
        }

        foreach (string file in System.IO.Directory.EnumerateFiles(Directory))
        {
            // Both delivery agents write to a temporary name and rename, so a listed file is whole.
            if (file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(file);
            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return bytes;
            }
        }

        return null;
    }
}
