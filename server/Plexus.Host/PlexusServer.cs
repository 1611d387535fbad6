using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.VisualStudio.Threading;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;
using Plexus.Host.Sessions;
using Plexus.Host.Tmux;
using StreamJsonRpc;

namespace Plexus.Host;

/// <summary>
/// The host's one owner of lifetime: it answers the protocol's requests, starts the tmux connection and the
/// session monitor on first use, sends notifications in order, and closes everything on shutdown. Expected
/// failures are thrown as <see cref="PlexusException"/>; <see cref="PlexusJsonRpc"/> turns every failure into a
/// JSON-RPC error.
/// </summary>
internal sealed class PlexusServer : IPlexusServer, ISessionEvents, System.IAsyncDisposable
{
    private readonly TmuxEndpoint endpoint;
    private readonly AsyncLazy<string?> tmuxVersion;
    private readonly AsyncLazy<Running> running;
    private readonly Channel<Func<IPlexusClient, Task>> outgoing = Channel.CreateUnbounded<Func<IPlexusClient, Task>>(new() { SingleReader = true });
    private readonly CancellationTokenSource closing = new();
    private readonly UserHookSettings userHookSettings = UserHookSettings.ForUser();
    private readonly TaskCompletionSource exitRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task notificationSender = Task.CompletedTask;
    private readonly SessionRecords records;
    private readonly Lock notRunningGate = new();
    private string lastNotRunning = string.Empty;

    // Under observeGate (the monitor's loop, and a create that must see its own session's first state): the names
    // seen running last time, and the ended sessions whose scrollback was saved (by tmux id and the time of death).
    private readonly Lock observeGate = new();
    private HashSet<string> previouslyLive = [];
    private readonly HashSet<string> savedEnds = [];

    // Written by request threads and read when the monitor starts: an immutable record swapped whole, read
    // fresh each time (see UpdateSettings for the start-up race).
    private volatile StatusSettings pendingSettings = new();
    private int shutdownRequested;
    private int stopped;

    public PlexusServer(TmuxEndpoint endpoint, bool rememberSessions = true)
    {
        this.endpoint = endpoint;
        tmuxVersion = new AsyncLazy<string?>(ReadTmuxVersionAsync, joinableTaskFactory: null);
        running = new AsyncLazy<Running>(StartAsync, joinableTaskFactory: null);
        records = SessionRecords.ForUser(AgentHookFiles.ForUser().Directory, endpoint.SocketPath, rememberSessions);
    }

    /// <summary>Completes when the client sent <c>exit</c>.</summary>
    public Task ExitRequested => exitRequested.Task;

    /// <summary>The protocol versions this host speaks; <c>initialize</c> refuses any other.</summary>
    public static IReadOnlyList<int> SupportedProtocolVersions { get; } = [1];

    /// <summary>Starts sending notifications to <paramref name="client"/>, in the order they were raised.</summary>
    public void Attach(IPlexusClient client) => notificationSender = SendNotificationsAsync(client);

    /// <summary>
    /// Whether a request for <paramref name="method"/> is served: after <c>shutdown</c> only <c>exit</c> is, as in
    /// LSP; the transport answers the rest with InvalidRequest.
    /// </summary>
    public bool Accepts(string method) => Volatile.Read(ref shutdownRequested) == 0 || method == "exit";

    public async Task<InitializeResult> InitializeAsync(InitializeParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        if (!SupportedProtocolVersions.Contains(request.ProtocolVersion))
        {
            throw new PlexusException(
                ErrorCodes.UnsupportedProtocolVersion,
                $"Protocol version {request.ProtocolVersion} is not supported: plexus-host {ServerVersion} speaks version {string.Join(", ", SupportedProtocolVersions)}. Update Plexus so the extension and its host match.");
        }

        if (request.Settings is { } settings)
        {
            pendingSettings = settings;
        }

        var version = await tmuxVersion.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var serverRunning = false;
        if (version is not null)
        {
            // The answer does not wait for the control client: attaching waits for the session list to settle
            // (150 ms at least), and the client is better off drawing its window meanwhile. The monitor pushes
            // sessions/changed once it has listed, and sessions/list waits for that.
            running.GetValueAsync(CancellationToken.None).Forget();
            ApplySettingsWhenStartedAsync().Forget();
            serverRunning = TmuxEndpoint.IsListening(endpoint.SocketPath);
        }

        return new InitializeResult(ServerVersion, request.ProtocolVersion, version, serverRunning, endpoint.SocketPath);
    }

    public async Task<SessionListResult> ListSessionsAsync(EmptyParams? request = null, CancellationToken cancellationToken = default)
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return new SessionListResult(state.Monitor.Sessions);
    }

    public async Task<Session> CreateSessionAsync(CreateSessionParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        var session = await state.Commands.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        KeepRecord(() => records.Remember(new SessionRecord(
            session.Name,
            endpoint.SocketPath,
            Path.GetFullPath(request.Cwd ?? Environment.CurrentDirectory),
            session.CreatedAt,
            string.IsNullOrWhiteSpace(request.Command) ? null : request.Command,
            request.Env is { Count: > 0 } env ? env : null,
            AgentCommandLine.Find(request.Command)?.Agent)));

        // A program that exits at once has published its end before its record existed.
        KeepRecord(() => ObserveRecords(state.Monitor.Sessions));
        PublishNotRunning(state.Monitor.Sessions);
        return session;
    }

    public async Task<NotRunningList> NotRunningAsync(EmptyParams? request = null, CancellationToken cancellationToken = default)
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Connection.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
        records.Read();
        return new NotRunningList(NotRunning(state.Monitor.Sessions));
    }

    public async Task<Session> RestoreSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default)
    {
        var name = RequireName(request?.Name);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        var record = records.Find(name) ?? throw new PlexusException(ErrorCodes.SessionNotFound, $"Plexus remembers no session named {Excerpt.Quote(name)}.");
        await state.Monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (state.Monitor.Find(name) is not null)
        {
            throw new PlexusException(ErrorCodes.SessionExists, $"Session {Excerpt.Quote(name)} is running already.");
        }

        // Only this session's own conversation: ResumeCommand takes out any other resume argument.
        var command = ResumeCommand.For(record);
        HostLog.Info($"restoring session {Excerpt.Quote(name)}: {command ?? "(shell)"}");
        var session = await state.Commands.CreateAsync(new CreateSessionParams(name, command, record.Cwd, Env: record.Env), cancellationToken).ConfigureAwait(false);
        KeepRecord(() =>
        {
            records.Update(name, kept => kept with { StoppedAt = null });
            ObserveRecords(state.Monitor.Sessions);
        });
        PublishNotRunning(state.Monitor.Sessions);
        return session;
    }

    public async Task<EmptyResult> ForgetSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default)
    {
        var name = RequireName(request?.Name);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        if (!records.Forget(name))
        {
            throw new PlexusException(ErrorCodes.SessionNotFound, $"Plexus remembers no session named {Excerpt.Quote(name)}.");
        }

        PublishNotRunning(state.Monitor.Sessions);
        return new EmptyResult();
    }

    public async Task<KillResult> KillSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default)
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        var name = RequireName(request?.Name);

        // Killed in Plexus means not wanted back; the client gets the record to offer Undo (sessions/remember). It is
        // forgotten before the kill, so no client ever sees the session "not running" in between (and offers Restore).
        SessionRecord? record = null;
        KeepRecord(() =>
        {
            record = records.Find(name);
            if (record is not null)
            {
                records.Forget(name, keepScrollback: true);
            }
        });
        try
        {
            await state.Commands.KillAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (record is not null)
            {
                KeepRecord(() => records.Remember(record));
            }

            throw;
        }

        KeepRecord(() => records.DeleteScrollback(name));
        PublishNotRunning(state.Monitor.Sessions);
        return new KillResult(record is null ? null : record with { StoppedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), HasScrollback = null });
    }

    public async Task<EmptyResult> RememberSessionAsync(RememberParams? request = null, CancellationToken cancellationToken = default)
    {
        var record = Require(request).Record ?? throw new PlexusException(ErrorCodes.InvalidParams, "record is required.");
        var name = RequireName(record.Name);
        if (string.IsNullOrEmpty(record.Cwd))
        {
            throw new PlexusException(ErrorCodes.InvalidParams, "record.cwd is required.");
        }

        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);

        // A session of that name created since has its own record: the old one must not replace it.
        if (state.Monitor.Find(name) is not null)
        {
            throw new PlexusException(ErrorCodes.SessionExists, $"Session {Excerpt.Quote(name)} is running; its record stays.");
        }

        KeepRecord(() => records.Remember(record with { Name = name, HasScrollback = null }));
        PublishNotRunning(state.Monitor.Sessions);
        return new EmptyResult();
    }

    public async Task<Session> RenameSessionAsync(RenameSessionParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        var name = RequireName(request.Name);
        var session = await state.Commands.RenameAsync(name, request.NewName ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (name != session.Name)
        {
            // A not-running record with the new name belonged to a session this one now replaces.
            KeepRecord(() =>
            {
                records.Forget(session.Name);
                records.Update(name, kept => kept with { Name = session.Name });
            });
            PublishNotRunning(state.Monitor.Sessions);
        }

        return session;
    }

    public async Task<ScrollbackResult> ScrollbackAsync(ScrollbackParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        var name = RequireName(request.Name);
        if (state.Monitor.Find(name) is null && records.ReadScrollback(name) is { } saved)
        {
            return SavedScrollback(saved, request.Lines);
        }

        return await state.Commands.ScrollbackAsync(name, request.Lines, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EmptyResult> SendTextAsync(SendTextParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Commands.SendTextAsync(RequireName(request.Name), request.Text ?? string.Empty, request.Enter ?? false, cancellationToken).ConfigureAwait(false);
        return new EmptyResult();
    }

    public async Task<Session> RespawnSessionAsync(RespawnParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.RespawnAsync(RequireName(request.Name), request.Command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AttachCommandResult> AttachCommandAsync(AttachCommandParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.AttachCommandAsync(RequireName(request.Name), request.ReadOnly ?? false, request.IgnoreSize ?? false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DetachClientsResult> DetachClientsAsync(DetachClientsParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return new DetachClientsResult(await state.Commands.DetachClientsAsync(request.Pids, cancellationToken).ConfigureAwait(false));
    }

    public async Task<FindClientResult> FindClientAsync(FindClientParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.FindClientAsync(request.Pid, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PromptResult> PromptAsync(PromptParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.PromptAsync(RequireName(request.Name), cancellationToken).ConfigureAwait(false);
    }

    public async Task<AnswerResult> AnswerAsync(AnswerParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.AnswerAsync(RequireName(request.Name), request.Answer ?? string.Empty, cancellationToken).ConfigureAwait(false);
    }

    // Neither needs tmux: they read and write one small file in the user's home.
    public Task<HooksPreview> PreviewHooksAsync(PreviewHooksParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        return Task.FromResult(userHookSettings.Preview(request.Agent, request.Change));
    }

    public Task<ApplyHooksResult> ApplyHooksAsync(ApplyHooksParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        return Task.FromResult(userHookSettings.Apply(request.Agent, request.Change, request.Expected, DateTime.UtcNow));
    }

    public async Task<EmptyResult> ShutdownAsync(EmptyParams? request = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref shutdownRequested, 1);
        await StopAsync().ConfigureAwait(false);
        return new EmptyResult();
    }

    public void UpdateSettings(StatusSettings settings)
    {
        if (settings is null)
        {
            return;
        }

        pendingSettings = settings;

        // StartAsync reads pendingSettings after the value counts as created, so either it saw these settings
        // or the check below sees it started and hands them on (the monitor's inbox takes them from any thread).
        if (running.IsValueCreated)
        {
            ApplySettingsWhenStartedAsync().Forget();
        }
    }

    public void Exit() => exitRequested.TrySetResult();

    void ISessionEvents.SessionsChanged(IReadOnlyList<Session> sessions)
    {
        outgoing.Writer.TryWrite(client => client.SessionsChangedAsync(new SessionsChangedParams(sessions), closing.Token));
        KeepRecord(() => ObserveRecords(sessions));
        PublishNotRunning(sessions);
    }

    void ISessionEvents.StatusChanged(StatusChangedParams change) =>
        outgoing.Writer.TryWrite(client => client.StatusChangedAsync(change, closing.Token));

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync().ConfigureAwait(false);
        await StopAsync().ConfigureAwait(false);
        outgoing.Writer.TryComplete();
        await notificationSender.ConfigureAwait(false);
        closing.Dispose();
    }

    /// <summary>The host's version, without the commit hash the SDK appends.</summary>
    internal static string ServerVersion { get; } =
        typeof(PlexusServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static T Require<T>(T? request)
        where T : class =>
        request ?? throw new PlexusException(ErrorCodes.InvalidParams, "This method takes one params object.");

    private static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) ? throw new PlexusException(ErrorCodes.InvalidParams, "'name' is required.") : name;

    /// <summary>
    /// Brings the records up to date with what runs: the agent's conversation id once its hooks report it, when a
    /// remembered session was seen to stop, and its scrollback once its program ended.
    /// </summary>
    private void ObserveRecords(IReadOnlyList<Session> sessions)
    {
        lock (observeGate)
        {
            ObserveRecordsLocked(sessions);
        }
    }

    private void ObserveRecordsLocked(IReadOnlyList<Session> sessions)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var live = sessions.ToDictionary(session => session.Name);
        foreach (var record in records.Cached)
        {
            if (live.TryGetValue(record.Name, out var session))
            {
                // An id is kept only from the agent the command started: never another program's conversation.
                var ownId = session.AgentSessionId is not null && (record.Agent is null || session.Agent == record.Agent);
                if (record.StoppedAt is not null || (ownId && session.AgentSessionId != record.AgentSessionId))
                {
                    records.Update(record.Name, kept => kept with
                    {
                        StoppedAt = null,
                        Agent = ownId ? session.Agent : kept.Agent,
                        AgentSessionId = ownId ? session.AgentSessionId : kept.AgentSessionId,
                    });
                }

                if (session.Status is SessionStatus.Ended or SessionStatus.Error && session.ExitCode is not null
                    && savedEnds.Add($"{session.Id} {session.StatusSince}"))
                {
                    SaveScrollbackAsync(session.Name).Forget();
                }
            }
            else if (previouslyLive.Contains(record.Name))
            {
                records.Update(record.Name, kept => kept with { StoppedAt = now });
            }
        }

        previouslyLive = [.. live.Keys];
    }

    private async Task SaveScrollbackAsync(string name)
    {
        try
        {
            var state = await running.GetValueAsync().ConfigureAwait(false);
            var scrollback = await state.Commands.ScrollbackAsync(name, null, closing.Token).ConfigureAwait(false);
            records.SaveScrollback(name, scrollback.Text);
            records.Update(name, kept => kept with { HasScrollback = true });
        }
        catch (Exception ex) when (ex is PlexusException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            HostLog.Warn($"cannot save the scrollback of {Excerpt.Quote(name)}: {ex.Message}");
        }
    }

    /// <summary>On a clean shutdown the sessions still run, but the server may not outlive the machine: keep their screens.</summary>
    private async Task SaveAllScrollbacksAsync(Running state)
    {
        if (!state.Connection.IsConnected)
        {
            return;
        }

        var remembered = records.Cached.Select(record => record.Name).ToHashSet();
        foreach (var session in state.Monitor.Sessions.Where(session => remembered.Contains(session.Name)))
        {
            await SaveScrollbackAsync(session.Name).ConfigureAwait(false);
        }
    }

    private static ScrollbackResult SavedScrollback(string saved, int? lines)
    {
        var all = saved.Length == 0 ? [] : saved.Split('\n');
        var kept = lines is { } wanted ? all[Math.Max(0, all.Length - Math.Max(1, wanted))..] : all;
        return new ScrollbackResult(string.Join('\n', kept), kept.Length, all.Length);
    }

    private List<SessionRecord> NotRunning(IReadOnlyList<Session> sessions)
    {
        var live = sessions.Select(session => session.Name).ToHashSet();
        return [.. records.Cached.Where(record => !live.Contains(record.Name)).OrderBy(record => record.CreatedAt)];
    }

    /// <summary>Sends <c>sessions/notRunningChanged</c> when the list differs from the one sent last.</summary>
    private void PublishNotRunning(IReadOnlyList<Session> sessions)
    {
        lock (notRunningGate)
        {
            var list = new NotRunningList(NotRunning(sessions));
            var text = JsonSerializer.Serialize(list, PlexusJsonContext.Default.NotRunningList);
            if (text != lastNotRunning)
            {
                lastNotRunning = text;
                outgoing.Writer.TryWrite(client => client.NotRunningChangedAsync(list, closing.Token));
            }
        }
    }

    /// <summary>A record that cannot be written (a full disk, a read-only home) must not fail the session itself.</summary>
    private void KeepRecord(Action change)
    {
        try
        {
            change();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            HostLog.Warn($"cannot update the session records in {records.FilePath}: {ex.Message}");
        }
    }

    private async Task<Running> RequireTmuxAsync(CancellationToken cancellationToken)
    {
        if (await tmuxVersion.GetValueAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new PlexusException(
                ErrorCodes.TmuxNotInstalled,
                endpoint.TmuxPath is null
                    ? "tmux is not installed (or not on PATH). Install it, e.g. `sudo apt install tmux`, or set plexus.tmux.path."
                    : $"'{endpoint.TmuxPath}' does not run as tmux. Check plexus.tmux.path.");
        }

        return await running.GetValueAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> ReadTmuxVersionAsync()
    {
        if (endpoint.TmuxPath is null)
        {
            return null;
        }

        try
        {
            var result = await TmuxConnection.ForkAsync(endpoint, ["-V"], CancellationToken.None).ConfigureAwait(false);
            var text = result.StandardOutput.Trim();
            return result.ExitCode == 0 && text.StartsWith("tmux ", StringComparison.Ordinal) ? text[5..] : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or CliWrap.Exceptions.CommandExecutionException)
        {
            HostLog.Warn($"cannot run {endpoint.TmuxPath}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Starts the connection and the monitor, and completes once the first list is published.</summary>
    private async Task<Running> StartAsync()
    {
        KeepRecord(() => records.Read());
        var connection = new TmuxConnection(endpoint);
        var monitor = new SessionMonitor(connection, this);
        monitor.UpdateThresholds(pendingSettings);
        monitor.Start();
        await connection.FirstAttempt.ConfigureAwait(false);
        await monitor.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        return new Running(connection, monitor, new SessionCommands(connection, monitor, new AgentLaunch(AgentHookFiles.ForUser())));
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0 && running.IsValueCreated)
        {
            var state = await running.GetValueAsync().ConfigureAwait(false);
            if (Volatile.Read(ref shutdownRequested) == 1)
            {
                await SaveAllScrollbacksAsync(state).ConfigureAwait(false);
            }

            await state.Monitor.DisposeAsync().ConfigureAwait(false);
            await state.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ApplySettingsWhenStartedAsync()
    {
        var state = await running.GetValueAsync().ConfigureAwait(false);
        if (Volatile.Read(ref stopped) == 0)
        {
            state.Monitor.UpdateThresholds(pendingSettings);
        }
    }

    private async Task SendNotificationsAsync(IPlexusClient client)
    {
        await foreach (var send in outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await send(client).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed record Running(TmuxConnection Connection, SessionMonitor Monitor, SessionCommands Commands);
}
