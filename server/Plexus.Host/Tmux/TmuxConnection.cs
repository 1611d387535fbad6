using System.Threading.Channels;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.VisualStudio.Threading;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tmux;

/// <summary>What the connection to a tmux server reports to its one reader.</summary>
internal abstract record TmuxEvent;

internal sealed record ServerConnected : TmuxEvent;

internal sealed record ServerDisconnected : TmuxEvent;

internal sealed record TmuxNotification(ControlNotification Notification) : TmuxEvent;

/// <summary>
/// The host's connection to one tmux server: at most one control client at a time, reconnected when tmux
/// drops it (its session was killed) and re-established when a server appears on the socket. While no server
/// runs nothing is polled: an inotify watch on the socket's directory says when one starts.
/// </summary>
internal sealed class TmuxServer : System.IAsyncDisposable
{
    // Longer than the attach may wait for the session list to settle (SettleLimit).
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);

    private readonly TmuxEndpoint endpoint;
    private readonly Channel<TmuxEvent> events = Channel.CreateUnbounded<TmuxEvent>(new() { SingleReader = true });
    private readonly Channel<ControlNotification> notifications = Channel.CreateUnbounded<ControlNotification>(new() { SingleReader = true });
    private readonly AsyncAutoResetEvent socketActivity = new();
    private readonly CancellationTokenSource stopping = new();
    private FileSystemWatcher? socketWatcher;
    private Task connectionLoop = Task.CompletedTask;
    private Task notificationPump = Task.CompletedTask;
    private volatile ControlClient? client;
    private volatile TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool reconnecting = true;
    private readonly TaskCompletionSource firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TmuxServer(TmuxEndpoint endpoint)
    {
        this.endpoint = endpoint;
    }

    public TmuxEndpoint Endpoint => endpoint;

    /// <summary>Connection events and tmux notifications, in order; read by one consumer.</summary>
    public ChannelReader<TmuxEvent> Events => events.Reader;

    public bool IsConnected => client is not null;

    /// <summary>False once the server is known to be gone; true while connected or reconnecting.</summary>
    public bool MayBeRunning => client is not null || reconnecting;

    /// <summary>Completes once the first try to reach the server has succeeded or failed.</summary>
    public Task FirstAttempt => firstAttempt.Task;

    /// <summary>The session the control client itself is attached to; tmux counts it as an attached client.</summary>
    public string? OwnSessionId { get; private set; }

    public void Start()
    {
        endpoint.EnsureSocketDirectory();
        var directory = Path.GetDirectoryName(endpoint.SocketPath)!;
        socketWatcher = new FileSystemWatcher(directory, Path.GetFileName(endpoint.SocketPath))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.Attributes | NotifyFilters.LastWrite,
        };
        socketWatcher.Created += (_, _) => socketActivity.Set();
        socketWatcher.Changed += (_, _) => socketActivity.Set();
        socketWatcher.Renamed += (_, _) => socketActivity.Set();
        socketWatcher.EnableRaisingEvents = true;
        notificationPump = PumpNotificationsAsync(stopping.Token);
        connectionLoop = RunConnectionLoopAsync(stopping.Token);
    }

    /// <summary>
    /// Runs commands through the control client. When tmux has just dropped the client (its session was
    /// killed) this waits briefly for the reconnect rather than failing the request.
    /// </summary>
    public async Task<IReadOnlyList<ControlReply>> RunAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        var current = client ?? await WaitForClientAsync(cancellationToken).ConfigureAwait(false);
        return await current.RunAsync(commands, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="ControlClient.RunSequenceAsync"/>
    public async Task<IReadOnlyList<ControlReply>> RunSequenceAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        var current = client ?? await WaitForClientAsync(cancellationToken).ConfigureAwait(false);
        return await current.RunSequenceAsync(commands, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> RunOneAsync(string command, CancellationToken cancellationToken)
    {
        var reply = (await RunAsync([command], cancellationToken).ConfigureAwait(false))[0];
        return reply.Success ? reply.Lines : throw new TmuxCommandException(reply.ErrorText);
    }

    /// <summary>
    /// Forks one tmux command. Used only where a control client cannot exist yet: to start the first session
    /// of a server, to see whether it is safe to attach, and to read the version. The server tmux starts
    /// detaches from our pipes (it daemonizes).
    /// </summary>
    public Task<BufferedCommandResult> ForkAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ForkAsync(endpoint, arguments, cancellationToken);

    /// <inheritdoc cref="ForkAsync(IReadOnlyList{string}, CancellationToken)"/>
    public static async Task<BufferedCommandResult> ForkAsync(TmuxEndpoint endpoint, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await Cli.Wrap(endpoint.TmuxPath!)
            .WithArguments([.. endpoint.ServerArguments, .. arguments])
            .WithEnvironmentVariables(env => env.Set("TMUX", null))
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Null)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// tmux before 3.5 built with libutempter can lose a SIGCHLD (tmux/tmux#311): the pane then reads dead with
    /// neither exit status nor signal and its program stays a zombie until the server gets another SIGCHLD. Sending
    /// one (a syscall, no fork) makes tmux reap it and record the status; its own waitpid loop ignores a spare one.
    /// </summary>
    public async Task NudgeChildReaperAsync(CancellationToken cancellationToken)
    {
        var current = client;
        if (current is null || !OperatingSystem.IsLinux())
        {
            return;
        }

        var reply = (await current.RunAsync([TmuxSyntax.Command("display-message", "-p", "#{pid}")], cancellationToken).ConfigureAwait(false))[0];
        if (reply.Success && int.TryParse(reply.Lines.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0)
        {
            _ = Kill(pid, Sigchld);
        }
    }

    /// <summary>Asks the connection loop to try now (a server was just started by us) and waits for it.</summary>
    public async Task ConnectNowAsync(CancellationToken cancellationToken)
    {
        // A try the socket watcher started a moment earlier may have found the server still empty; ask again
        // until the session just created is seen or the wait runs out.
        var deadline = DateTimeOffset.UtcNow + ReconnectWait;
        while (client is null && DateTimeOffset.UtcNow < deadline)
        {
            if (connected.Task.IsCompleted)
            {
                connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            reconnecting = true;
            socketActivity.Set();
            await connected.Task.WaitAsync(deadline - DateTimeOffset.UtcNow, cancellationToken).NoThrowAwaitable();
        }

        _ = client ?? throw PlexusException.ServerUnavailable($"tmux started but its server could not be reached on {endpoint.SocketPath}");
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        socketWatcher?.Dispose();
        try
        {
            await connectionLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (client is { } last)
        {
            await last.DisposeAsync().ConfigureAwait(false);
        }

        notifications.Writer.TryComplete();
        await notificationPump.ConfigureAwait(false);
        events.Writer.TryComplete();
        stopping.Dispose();
    }

    // Linux's number; the nudge is only sent on Linux.
    private const int Sigchld = 17;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private async Task<ControlClient> WaitForClientAsync(CancellationToken cancellationToken)
    {
        if (!reconnecting)
        {
            throw PlexusException.ServerUnavailable($"no tmux server is running on {endpoint.SocketPath}");
        }

        try
        {
            await connected.Task.WaitAsync(ReconnectWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return client ?? throw PlexusException.ServerUnavailable($"no tmux server is running on {endpoint.SocketPath}");
    }

    private async Task RunConnectionLoopAsync(CancellationToken cancellationToken)
    {
        var wasConnected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var attempt = await TryConnectAsync(waitForFirstSession: !wasConnected, cancellationToken).ConfigureAwait(false);
            firstAttempt.TrySetResult();
            if (attempt is null)
            {
                reconnecting = false;
                connected.TrySetResult();
                if (wasConnected)
                {
                    wasConnected = false;
                    events.Writer.TryWrite(new ServerDisconnected());
                }

                // Not running: sleep until the socket file changes; no tmux process is forked meanwhile.
                await socketActivity.WaitAsync(cancellationToken).ConfigureAwait(false);
                connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                reconnecting = true;
                continue;
            }

            client = attempt;
            wasConnected = true;
            connected.TrySetResult();
            events.Writer.TryWrite(new ServerConnected());
            await attempt.Completion.WaitAsync(cancellationToken).NoThrowAwaitable();
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Requests arriving now wait for the reconnect (or learn quickly that the server is gone).
            connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reconnecting = true;
            client = null;
            OwnSessionId = null;
            await attempt.DisposeAsync().ConfigureAwait(false);
            HostLog.Info("tmux control client closed; reconnecting");
        }
    }

    private async Task<ControlClient?> TryConnectAsync(bool waitForFirstSession, CancellationToken cancellationToken)
    {
        if (!File.Exists(endpoint.SocketPath))
        {
            return null;
        }

        var session = await FindStableSessionAsync(waitForFirstSession, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return null;
        }

        try
        {
            var attempt = await ControlClient.StartAsync(endpoint, notifications.Writer, session, cancellationToken).ConfigureAwait(false);
            await attempt.RunOneAsync(SessionRows.SubscribeCommand, cancellationToken).ConfigureAwait(false);
            HostLog.Info($"connected to tmux server {endpoint.SocketPath} (control client on session {session})");
            return attempt;
        }
        catch (Exception ex) when (ex is PlexusException or TmuxCommandException)
        {
            HostLog.Info($"no tmux server on {endpoint.SocketPath}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// Picks the session the control client attaches to, and when. tmux 3.3a crashes (control_write on a client
    /// whose control state does not exist yet) when a session is created, closed or renamed while a control
    /// client's handshake is half read; the handshake passes file descriptors, so it always spans several reads.
    /// The attach therefore waits until the session list has stopped changing (two forked list-sessions
    /// <see cref="SettleTime"/> apart agree), which rides out a server's start and a script creating or killing
    /// sessions in a burst. It picks the oldest session, the one least likely to be killed, since every kill of
    /// it forces a reconnect. After a disconnect, an empty server is one that is exiting.
    /// </summary>
    private async Task<string?> FindStableSessionAsync(bool waitForFirstSession, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + SettleLimit;
        string? previous = null;
        while (true)
        {
            var result = await ForkAsync(["-N", "list-sessions", "-F", "#{session_created} #{session_id} #{session_name}"], cancellationToken).ConfigureAwait(false);
            var listing = result.StandardOutput.Trim();
            if (listing.Length == 0)
            {
                var gone = !File.Exists(endpoint.SocketPath) || result.StandardError.Contains("no server running", StringComparison.Ordinal);
                if (gone || !waitForFirstSession || DateTimeOffset.UtcNow > deadline)
                {
                    return null;
                }
            }
            else if (listing == previous || DateTimeOffset.UtcNow > deadline)
            {
                return listing
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => line.Split(' ', 3))
                    .Where(fields => fields.Length >= 2 && long.TryParse(fields[0], out _))
                    .OrderBy(fields => long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))
                    .Select(fields => fields[1])
                    .FirstOrDefault();
            }

            previous = listing;
            await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PumpNotificationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in notifications.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (notification.Name == "session-changed")
                {
                    OwnSessionId = notification.FirstArgument;
                }

                events.Writer.TryWrite(new TmuxNotification(notification));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
