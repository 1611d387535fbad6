namespace Plexus.Host.Tmux;

/// <summary>
/// Says the moment a pane's program exits, so ended/error is reported within milliseconds. tmux 3.3a sends no
/// control-mode notification when a pane dies with remain-on-exit on; its window rename to "cmd[dead]" comes
/// only with the next name check (at most every 500 ms, and only after output), and the subscription is
/// re-evaluated once a second. A Linux pidfd (pidfd_open, kernel 5.3+) becomes readable when its process
/// exits: one thread waits in poll() on the panes' pidfds, so nothing is polled and nothing is forked.
/// </summary>
internal sealed class PaneExitWatcher : IDisposable
{
    private const int SysPidfdOpen = 434;
    private const short PollIn = 0x1;
    private const int EventFdNonBlock = 0x800;
    private const int EventFdCloseOnExec = 0x80000;

    private readonly Action<int> onExit;
    private readonly Lock gate = new();
    private readonly Dictionary<int, int> pidfds = [];
    private readonly int wakeFd;
    private readonly Thread thread;
    private volatile bool disposed;

    public PaneExitWatcher(Action<int> onExit)
    {
        this.onExit = onExit;
        wakeFd = Interop.EventFd(0, EventFdNonBlock | EventFdCloseOnExec);
        thread = new Thread(Run) { IsBackground = true, Name = "pane exit watcher" };
        if (wakeFd >= 0)
        {
            thread.Start();
        }
    }

    /// <summary>Watches exactly these process ids from now on; ids that cannot be opened are skipped.</summary>
    public void Watch(IEnumerable<int> pids)
    {
        if (wakeFd < 0 || disposed)
        {
            return;
        }

        var wanted = pids.Where(pid => pid > 0).ToHashSet();
        var changed = false;
        lock (gate)
        {
            foreach (var pid in pidfds.Keys.Where(pid => !wanted.Contains(pid)).ToList())
            {
                _ = Interop.Close(pidfds[pid]);
                pidfds.Remove(pid);
                changed = true;
            }

            foreach (var pid in wanted.Where(pid => !pidfds.ContainsKey(pid)))
            {
                var fd = (int)Interop.Syscall(SysPidfdOpen, pid, 0);
                if (fd >= 0)
                {
                    pidfds[pid] = fd;
                    changed = true;
                }
            }
        }

        if (changed)
        {
            Wake();
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Wake();
        if (thread.IsAlive)
        {
            thread.Join(TimeSpan.FromSeconds(1));
        }

        lock (gate)
        {
            foreach (var fd in pidfds.Values)
            {
                _ = Interop.Close(fd);
            }

            pidfds.Clear();
        }

        if (wakeFd >= 0)
        {
            _ = Interop.Close(wakeFd);
        }
    }

    private void Wake()
    {
        if (wakeFd >= 0)
        {
            long one = 1;
            _ = Interop.Write(wakeFd, ref one, sizeof(long));
        }
    }

    private void Run()
    {
        while (!disposed)
        {
            Interop.PollFd[] fds;
            int[] pids;
            lock (gate)
            {
                pids = [.. pidfds.Keys];
                fds = [new Interop.PollFd { Fd = wakeFd, Events = PollIn }, .. pids.Select(pid => new Interop.PollFd { Fd = pidfds[pid], Events = PollIn })];
            }

            if (Interop.Poll(fds, (ulong)fds.Length, -1) < 0)
            {
                continue;
            }

            if ((fds[0].Revents & PollIn) != 0)
            {
                long drained = 0;
                _ = Interop.Read(wakeFd, ref drained, sizeof(long));
            }

            for (var i = 1; i < fds.Length; i++)
            {
                if (fds[i].Revents == 0)
                {
                    continue;
                }

                lock (gate)
                {
                    // Watch may have dropped or replaced this pid meanwhile.
                    if (!pidfds.TryGetValue(pids[i - 1], out var fd) || fd != fds[i].Fd)
                    {
                        continue;
                    }

                    _ = Interop.Close(fd);
                    pidfds.Remove(pids[i - 1]);
                }

                onExit(pids[i - 1]);
            }
        }
    }
}
