using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Hosting;

/// <summary>
/// SIGHUP reloads the policy (<see cref="PolicyState.Reload"/>), the Unix convention that
/// <c>systemctl reload</c> (ExecReload=kill -HUP $MAINPID) uses. The handler cancels the default
/// action, which would terminate the process. The reload runs off the signal thread.
/// </summary>
internal sealed class ReloadSignalService(PolicyState state, ILogger<ReloadSignalService> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                HostLog.ReloadSignal(logger);
                _ = Task.Run(state.Reload, CancellationToken.None);
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
