using System.Globalization;
using System.Threading.Channels;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.VisualStudio.Threading;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tmux;

/// <summary>What the connection to a tmux server reports to its one reader.</summary>
internal abstract record TmuxEvent;

/// <summary>A control client is attached (first, or again after tmux dropped the previous one).</summary>
internal sealed record ServerConnected : TmuxEvent;

/// <summary>The server is gone: no control client, and none can attach until a server starts.</summary>
internal sealed record ServerDisconnected : TmuxEvent;

internal sealed record TmuxNotification(ControlNotification Notification) : TmuxEvent;

/// <summary>
/// The host's connection to one tmux server: at most one control client at a time, reconnected when tmux drops
/// it (its session was killed) and re-established when a server appears on the socket. While no server runs
/// nothing is polled: a watch on the socket's directory says when one starts.
/// One loop owns the connection: it alone attaches, drops and replaces the control client, and it alone decides
/// how a session is created (through the client, or by forking the tmux that starts a server). Requests post a
/// message to it and wait for the answer, so a request never sees a half-made decision.
/// </summary>
internal sealed class TmuxConnection : System.IAsyncDisposable
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(3);
    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly TmuxEndpoint endpoint;
    private readonly Channel<Request> requests = Channel.CreateUnbounded<Request>(new() { SingleReader = true });
    private readonly AsyncAutoResetEvent socketActivity = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FileSystemWatcher? socketWatcher;
    private Task loop = Task.CompletedTask;
    private Action<TmuxEvent> report = _ => { };

    // Written only by the loop; requests read a snapshot and ask the loop when it is missing or dead.
    private volatile ControlClient? client;

    public TmuxConnection(TmuxEndpoint endpoint)
    {
        this.endpoint = endpoint;
    }

    public TmuxEndpoint Endpoint => endpoint;

    public bool IsConnected => client is not null;

    /// <summary>Completes once the first try to reach the server has succeeded or failed.</summary>
    public Task FirstAttempt => firstAttempt.Task;

    /// <summary>Starts the loop; <paramref name="sink"/> receives connection events and tmux notifications, in order.</summary>
    public void Start(Action<TmuxEvent> sink)
    {
        report = sink;
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
        loop = RunLoopAsync(stopping.Token);
    }

    /// <summary>
    /// Runs commands through the control client, each on its own line. When tmux has just dropped the client (its
    /// session was killed) this waits for the reconnect, and fails with ServerUnavailable when no server runs.
    /// </summary>
    public Task<IReadOnlyList<ControlReply>> RunAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        RunOnClientAsync(current => current.RunAsync(commands, cancellationToken), repeatable: false, cancellationToken);

    /// <inheritdoc cref="ControlClient.RunSequenceAsync"/>
    public Task<IReadOnlyList<ControlReply>> RunSequenceAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        RunOnClientAsync(current => current.RunSequenceAsync(commands, cancellationToken), repeatable: false, cancellationToken);

    /// <summary>
    /// Runs commands that only read, so they may run again on the next client when the first one is dropped
    /// with the commands in flight.
    /// </summary>
    public Task<IReadOnlyList<ControlReply>> QueryAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        RunOnClientAsync(current => current.RunAsync(commands, cancellationToken), repeatable: true, cancellationToken);

    /// <summary>Lists the sessions, with the one the control client sits in at that moment.</summary>
    public async Task<SessionListing> ListSessionsAsync(CancellationToken cancellationToken)
    {
        var replies = await QueryAsync(SessionRows.ListingCommands, cancellationToken).ConfigureAwait(false);
        return SessionRows.ParseListing(replies[0], replies[1]);
    }

    /// <summary>
    /// Creates a session: through the control client when one is attached; otherwise by forking the tmux that
    /// starts the server, then attaching and running <paramref name="setup"/> through the new client. Returns
    /// one reply per command that ran (the first holds new-session's output); the last is the failure, if any.
    /// </summary>
    public async Task<IReadOnlyList<ControlReply>> CreateSessionAsync(IReadOnlyList<string> newSession, IReadOnlyList<string> setup, CancellationToken cancellationToken)
    {
        var request = new CreateWanted(newSession, setup, new(TaskCreationOptions.RunContinuationsAsynchronously));
        Post(request);
        return await request.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills a session. When it is the session the control client sits in, the client moves to another session
    /// first, in the same command list: otherwise tmux drops the client with the session, and until a new one has
    /// attached (a settle wait, and tmux 3.3a's fragile handshake) nothing could be listed.
    /// </summary>
    public async Task KillSessionAsync(string name, CancellationToken cancellationToken)
    {
        var probe = await QueryAsync(
            [
                TmuxSyntax.Command("display-message", "-p", "-t", Targets.ActivePane(name), "#{session_id}"),
                TmuxSyntax.Command("display-message", "-p", "#{session_id}"),
                TmuxSyntax.Command("list-sessions", "-F", "#{session_created} #{session_id}"),
            ],
            cancellationToken).ConfigureAwait(false);
        if (!probe[0].Success)
        {
            throw new TmuxCommandException(probe[0].ErrorText);
        }

        List<string> commands = [];
        var victim = probe[0].Lines.FirstOrDefault();
        if (probe[1].Success && probe[1].Lines.FirstOrDefault() == victim)
        {
            var refuge = probe[2].Lines
                .Select(line => line.Split(' ', 2))
                .Where(fields => fields.Length == 2 && fields[1] != victim)
                .OrderBy(fields => long.TryParse(fields[0], CultureInfo.InvariantCulture, out var created) ? created : long.MaxValue)
                .Select(fields => fields[1])
                .FirstOrDefault();
            if (refuge is not null)
            {
                commands.Add(TmuxSyntax.Command("switch-client", "-t", refuge));
            }
        }

        commands.Add(TmuxSyntax.Command("kill-session", "-t", Targets.Session(name)));
        var replies = await RunSequenceAsync(commands, cancellationToken).ConfigureAwait(false);
        if (replies[^1] is { Success: false } failed)
        {
            throw new TmuxCommandException(failed.ErrorText);
        }
    }

    /// <summary>
    /// Forks one tmux command on this server. Used only where a control client cannot exist: to start the first
    /// session of a server, to see whether it is safe to attach, to read the version. A server it starts
    /// daemonizes, so it keeps none of our pipes, and gets the environment without the editor's variables.
    /// -u: session names come back in UTF-8 even when the editor runs in a C locale.
    /// </summary>
    public static async Task<BufferedCommandResult> ForkAsync(TmuxEndpoint endpoint, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await Cli.Wrap(endpoint.TmuxPath!)
            .WithArguments(["-u", .. endpoint.ServerArguments, .. arguments])
            .WithEnvironmentVariables(environment =>
            {
                environment.Set("TMUX", null);
                EditorEnvironment.Remove(environment);
            })
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
        if (client is null || !OperatingSystem.IsLinux())
        {
            return;
        }

        var reply = (await QueryAsync([TmuxSyntax.Command("display-message", "-p", "#{pid}")], cancellationToken).ConfigureAwait(false))[0];
        if (reply.Success && int.TryParse(reply.Lines.FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) && pid > 0)
        {
            _ = Interop.Kill(pid, Sigchld);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        socketWatcher?.Dispose();
        requests.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        stopping.Dispose();
    }

    // Linux's number; the nudge is only sent on Linux.
    private const int Sigchld = 17;

    private async Task<T> RunOnClientAsync<T>(Func<ControlClient, Task<T>> run, bool repeatable, CancellationToken cancellationToken)
    {
        var current = client is { IsClosed: false } live ? live : await RequestClientAsync(client, cancellationToken).ConfigureAwait(false);
        try
        {
            return await run(current).ConfigureAwait(false);
        }
        catch (ControlClientClosedException closed) when (repeatable || !closed.CommandsSent)
        {
            // tmux dropped the client under us (its session was killed): once more on the one that replaces it.
            var next = await RequestClientAsync(current, cancellationToken).ConfigureAwait(false);
            try
            {
                return await run(next).ConfigureAwait(false);
            }
            catch (ControlClientClosedException again)
            {
                throw PlexusException.ServerUnavailable(again.Message);
            }
        }
        catch (ControlClientClosedException lost)
        {
            throw PlexusException.ServerUnavailable($"{lost.Message}; the command may or may not have run");
        }
    }

    /// <summary>Asks the loop for a live control client other than <paramref name="stale"/>; fails when no server runs.</summary>
    private async Task<ControlClient> RequestClientAsync(ControlClient? stale, CancellationToken cancellationToken)
    {
        var request = new ClientWanted(stale, new(TaskCreationOptions.RunContinuationsAsynchronously));
        Post(request);
        return await request.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Post(Request request)
    {
        if (!requests.Writer.TryWrite(request))
        {
            throw PlexusException.ServerUnavailable("the host is shutting down");
        }
    }

    private PlexusException NoServer() => PlexusException.ServerUnavailable($"no tmux server is running on {endpoint.SocketPath}");

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        List<ClientWanted> waiting = [];
        var tryConnect = true;
        var afterLoss = false;
        Task<bool>? requestsReady = null;
        Task? socketChanged = null;
        try
        {
            while (true)
            {
                if (client is null && tryConnect)
                {
                    tryConnect = false;
                    await ConnectAsync(waitForFirstSession: !afterLoss, reportLoss: afterLoss, cancellationToken).ConfigureAwait(false);
                    afterLoss = false;
                }

                AnswerWaiting(waiting);
                requestsReady ??= requests.Reader.WaitToReadAsync(cancellationToken).AsTask();
                if (client is null)
                {
                    socketChanged ??= socketActivity.WaitAsync(cancellationToken);
                }

                await Task.WhenAny(requestsReady, client?.Completion ?? Never, socketChanged ?? Never).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();

                if (socketChanged is { IsCompleted: true })
                {
                    socketChanged = null;
                    tryConnect = client is null;
                }

                if (client is { Completion.IsCompleted: true } dropped)
                {
                    await DropAsync(dropped).ConfigureAwait(false);
                    tryConnect = afterLoss = true;
                    continue;
                }

                if (requestsReady.IsCompleted)
                {
                    var more = await requestsReady.ConfigureAwait(false);
                    requestsReady = null;
                    if (!more)
                    {
                        return;
                    }

                    while (requests.Reader.TryRead(out var request))
                    {
                        switch (request)
                        {
                            case ClientWanted wanted:
                                waiting.Add(wanted);
                                break;
                            case CreateWanted create:
                                await CreateAsync(create, cancellationToken).ConfigureAwait(false);
                                break;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            var gone = PlexusException.ServerUnavailable("the host is shutting down");
            waiting.ForEach(wanted => wanted.Reply.TrySetException(gone));
            requests.Writer.TryComplete();
            while (requests.Reader.TryRead(out var request))
            {
                request.Fail(gone);
            }

            if (client is { } last)
            {
                client = null;
                await last.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Gives each waiting request the live client, or says no server runs; a request about the client that is dying waits.</summary>
    private void AnswerWaiting(List<ClientWanted> waiting)
    {
        foreach (var wanted in waiting.Where(wanted => client is null || !ReferenceEquals(client, wanted.Stale)).ToList())
        {
            _ = client is null ? wanted.Reply.TrySetException(NoServer()) : wanted.Reply.TrySetResult(client);
            waiting.Remove(wanted);
        }
    }

    private async Task ConnectAsync(bool waitForFirstSession, bool reportLoss, CancellationToken cancellationToken)
    {
        client = await TryConnectAsync(waitForFirstSession, cancellationToken).ConfigureAwait(false);
        firstAttempt.TrySetResult();
        if (client is not null)
        {
            report(new ServerConnected());
        }
        else if (reportLoss)
        {
            report(new ServerDisconnected());
        }
    }

    private async Task DropAsync(ControlClient dropped)
    {
        client = null;
        await dropped.DisposeAsync().ConfigureAwait(false);
        HostLog.Info("tmux control client closed; reconnecting");
    }

    private async Task CreateAsync(CreateWanted create, CancellationToken cancellationToken)
    {
        try
        {
            if (client is { } current)
            {
                try
                {
                    create.Reply.TrySetResult(await current.RunSequenceAsync([TmuxSyntax.Command(create.NewSession[0], create.NewSession.Skip(1)), .. create.Setup], cancellationToken).ConfigureAwait(false));
                    return;
                }
                catch (ControlClientClosedException closed)
                {
                    // Dropped just now (its session was killed, or the server is exiting): decide again on the
                    // connection as it is after the drop. A list tmux may have run is run again only where no
                    // server survived it.
                    await current.Completion.NoThrowAwaitable();
                    await DropAsync(current).ConfigureAwait(false);
                    await ConnectAsync(waitForFirstSession: false, reportLoss: true, cancellationToken).ConfigureAwait(false);
                    if (client is not null && closed.CommandsSent)
                    {
                        throw PlexusException.ServerUnavailable("tmux dropped the control client while creating the session; check whether it exists");
                    }

                    if (client is not null)
                    {
                        await CreateAsync(create, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
            }

            // No server (a socket file tmux left behind does not count: the last attempt found nobody there).
            // Only a forked tmux can start one; nothing attaches meanwhile, since attaching is this loop's job.
            var started = await ForkAsync(endpoint, create.NewSession, cancellationToken).ConfigureAwait(false);
            if (started.ExitCode != 0)
            {
                create.Reply.TrySetException(new TmuxCommandException(started.StandardError.Trim()));
                return;
            }

            await ConnectAsync(waitForFirstSession: true, reportLoss: false, cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                create.Reply.TrySetException(PlexusException.ServerUnavailable($"tmux started but its server could not be reached on {endpoint.SocketPath}"));
                return;
            }

            var rest = await client.RunSequenceAsync(create.Setup, cancellationToken).ConfigureAwait(false);
            create.Reply.TrySetResult([new ControlReply(0, true, true, [started.StandardOutput.Trim()]), .. rest]);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping: the request must not wait for an answer that will never come.
            create.Reply.TrySetException(PlexusException.ServerUnavailable("the host is shutting down"));
            throw;
        }
        catch (Exception ex)
        {
            create.Reply.TrySetException(ex is ControlClientClosedException ? PlexusException.ServerUnavailable(ex.Message) : ex);
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
            var attempt = await ControlClient.StartAsync(endpoint, notification => report(new TmuxNotification(notification)), session, cancellationToken).ConfigureAwait(false);
            await attempt.RunOneAsync(SessionRows.SubscribeCommand, cancellationToken).ConfigureAwait(false);
            HostLog.Info($"connected to tmux server {endpoint.SocketPath} (control client on session {session})");
            return attempt;
        }
        catch (Exception ex) when (ex is PlexusException or TmuxCommandException or ControlClientClosedException)
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
            var result = await ForkAsync(endpoint, ["-N", "list-sessions", "-F", "#{session_created} #{session_id} #{session_name}"], cancellationToken).ConfigureAwait(false);
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
                    .OrderBy(fields => long.Parse(fields[0], CultureInfo.InvariantCulture))
                    .Select(fields => fields[1])
                    .FirstOrDefault();
            }

            previous = listing;
            await Task.Delay(SettleTime, cancellationToken).ConfigureAwait(false);
        }
    }

    private abstract record Request
    {
        public abstract void Fail(Exception why);
    }

    /// <summary>A request needs a live client other than <paramref name="Stale"/>, the one it saw die.</summary>
    private sealed record ClientWanted(ControlClient? Stale, TaskCompletionSource<ControlClient> Reply) : Request
    {
        public override void Fail(Exception why) => Reply.TrySetException(why);
    }

    private sealed record CreateWanted(IReadOnlyList<string> NewSession, IReadOnlyList<string> Setup, TaskCompletionSource<IReadOnlyList<ControlReply>> Reply) : Request
    {
        public override void Fail(Exception why) => Reply.TrySetException(why);
    }
}
