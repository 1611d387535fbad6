namespace Plexus.Host;

/// <summary>
/// Ends the host when the process that started it dies, so a crashed editor never leaves a host (and its tmux
/// control client) behind. PR_SET_PDEATHSIG is not used: it fires when the parent's *thread* that started the
/// host exits, which in a thread-pool parent happens while the parent is alive. Instead the parent id is
/// compared once a second (a syscall; nothing is forked); when the parent dies the host is re-parented.
/// </summary>
internal static class ParentWatch
{
    public static async Task WaitForParentExitAsync(CancellationToken cancellationToken)
    {
        var parent = Interop.GetParentProcessId();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Interop.GetParentProcessId() != parent)
            {
                HostLog.Info($"parent process {parent} exited");
                return;
            }
        }
    }
}
