using System.Diagnostics;
using System.Text;

namespace Filter.Testing.Mta;

/// <summary>
/// Runs the MTAs' command-line tools (postconf, postfix, postqueue, m4, sendmail) and returns
/// their output; a non-zero exit is an <see cref="InvalidOperationException"/> carrying the output,
/// because a harness that half-starts an MTA would only produce confusing test failures later.
/// </summary>
public static class MtaProcess
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">The command exited with a non-zero status.</exception>
    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName.Contains('/', StringComparison.Ordinal) ? fileName : Find(fileName) ?? fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string stdout = await output.ConfigureAwait(false);
        string stderr = await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var message = new StringBuilder()
                .Append(fileName).Append(' ').AppendJoin(' ', arguments)
                .Append(" exited with ").Append(process.ExitCode).AppendLine()
                .AppendLine(stdout).Append(stderr);
            throw new InvalidOperationException(message.ToString());
        }

        return stdout;
    }

    /// <summary>Finds an executable on PATH or in the sbin folders (which a non-login PATH may lack), or null.</summary>
    public static string? Find(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound and released; the MTA binds it right after).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <exception cref="TimeoutException">Nothing listened within <paramref name="bound"/>.</exception>
    public static async Task WaitForListenerAsync(int port, TimeSpan bound, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + bound;
        while (true)
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException exception)
            {
                throw new TimeoutException($"nothing listens on 127.0.0.1:{port}", exception);
            }
        }
    }
}
