namespace Funding.Hosting;

public static class ApplicationStarted
{
    /// <summary>
    /// Waits until the host has started (schema applied, Kestrel listening). False when it stops first, so a
    /// background service that needs a running service simply returns.
    /// </summary>
    public static async Task<bool> WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken stopping)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stopping.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }
    }
}
