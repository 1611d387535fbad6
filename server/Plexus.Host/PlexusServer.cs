using System.Reflection;
using System.Threading.Channels;
using Microsoft.VisualStudio.Threading;
using Plexus.Host.Protocol;
using Plexus.Host.Sessions;
using Plexus.Host.Tmux;
using StreamJsonRpc;

namespace Plexus.Host;

/// <summary>
/// The host's one owner of lifetime: it answers the protocol's requests, starts the tmux connection and the
/// session monitor on first use, sends notifications in order, and closes everything on shutdown. Expected
/// failures become JSON-RPC errors here and nowhere else.
/// </summary>
internal sealed class PlexusServer : IPlexusServer, ISessionEvents, System.IAsyncDisposable
{
    private readonly TmuxEndpoint endpoint;
    private readonly AsyncLazy<string?> tmuxVersion;
    private readonly AsyncLazy<Running> running;
    private readonly Channel<(string Method, object Params)> outgoing = Channel.CreateUnbounded<(string, object)>(new() { SingleReader = true });
    private readonly TaskCompletionSource exitRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonRpc? rpc;
    private Task notificationSender = Task.CompletedTask;
    private StatusSettings pendingSettings = new();
    private int stopped;

    public PlexusServer(TmuxEndpoint endpoint)
    {
        this.endpoint = endpoint;
        tmuxVersion = new AsyncLazy<string?>(ReadTmuxVersionAsync, joinableTaskFactory: null);
        running = new AsyncLazy<Running>(StartAsync, joinableTaskFactory: null);
    }

    /// <summary>Completes when the client sent <c>exit</c>.</summary>
    public Task ExitRequested => exitRequested.Task;

    public void Attach(JsonRpc connection)
    {
        rpc = connection;
        notificationSender = SendNotificationsAsync();
    }

    public Task<InitializeResult> InitializeAsync(InitializeParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        if (request.Settings is { } settings)
        {
            pendingSettings = settings;
        }

        var version = await tmuxVersion.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var serverRunning = false;
        if (version is not null)
        {
            var state = await running.GetValueAsync(cancellationToken).ConfigureAwait(false);
            state.Monitor.UpdateThresholds(pendingSettings);
            await state.Connection.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            await state.Monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
            serverRunning = state.Connection.IsConnected;
        }

        return new InitializeResult(ServerVersion, 1, version, serverRunning, endpoint.SocketPath);
    });

    public Task<SessionListResult> ListSessionsAsync(EmptyParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return new SessionListResult(state.Monitor.Sessions);
    });

    public Task<Session> CreateSessionAsync(CreateSessionParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.CreateAsync(request, cancellationToken).ConfigureAwait(false);
    });

    public Task<EmptyResult> KillSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Commands.KillAsync(RequireName(request?.Name), cancellationToken).ConfigureAwait(false);
        return new EmptyResult();
    });

    public Task<Session> RenameSessionAsync(RenameSessionParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.RenameAsync(RequireName(request.Name), request.NewName ?? string.Empty, cancellationToken).ConfigureAwait(false);
    });

    public Task<ScrollbackResult> ScrollbackAsync(ScrollbackParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.ScrollbackAsync(RequireName(request.Name), request.Lines, cancellationToken).ConfigureAwait(false);
    });

    public Task<EmptyResult> SendTextAsync(SendTextParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Commands.SendTextAsync(RequireName(request.Name), request.Text ?? string.Empty, request.Enter ?? false, cancellationToken).ConfigureAwait(false);
        return new EmptyResult();
    });

    public Task<Session> RespawnSessionAsync(RespawnParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.RespawnAsync(RequireName(request.Name), request.Command, cancellationToken).ConfigureAwait(false);
    });

    public Task<AttachCommandResult> AttachCommandAsync(AttachCommandParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.AttachCommandAsync(RequireName(request.Name), request.ReadOnly ?? false, cancellationToken).ConfigureAwait(false);
    });

    public Task<EmptyResult> ShutdownAsync(EmptyParams? request = null, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await StopAsync().ConfigureAwait(false);
        return new EmptyResult();
    });

    public void UpdateSettings(StatusSettings settings)
    {
        if (settings is null)
        {
            return;
        }

        pendingSettings = settings;
        if (running.IsValueFactoryCompleted)
        {
            running.GetValue().Monitor.UpdateThresholds(settings);
        }
    }

    public void Exit() => exitRequested.TrySetResult();

    void ISessionEvents.SessionsChanged(IReadOnlyList<Session> sessions) =>
        outgoing.Writer.TryWrite((ClientNotifications.SessionsChanged, new SessionsChangedParams(sessions)));

    void ISessionEvents.StatusChanged(StatusChangedParams change) =>
        outgoing.Writer.TryWrite((ClientNotifications.StatusChanged, change));

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        outgoing.Writer.TryComplete();
        await notificationSender.ConfigureAwait(false);
    }

    private static string ServerVersion { get; } =
        typeof(PlexusServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static T Require<T>(T? request)
        where T : class =>
        request ?? throw new PlexusException(ErrorCodes.InvalidParams, "This method takes one params object.");

    private static string RequireName(string? name) =>
        string.IsNullOrEmpty(name) ? throw new PlexusException(ErrorCodes.InvalidParams, "'name' is required.") : name;

    /// <summary>Runs a request; an expected failure becomes a JSON-RPC error with its code and message.</summary>
    private static async Task<T> GuardAsync<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (PlexusException ex)
        {
            throw new LocalRpcException(ex.Message) { ErrorCode = ex.Code };
        }
        catch (TmuxCommandException ex)
        {
            throw new LocalRpcException($"tmux: {ex.Message}") { ErrorCode = ErrorCodes.TmuxCommandFailed };
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

    private Task<Running> StartAsync()
    {
        var connection = new TmuxConnection(endpoint);
        var monitor = new SessionMonitor(connection, this);
        monitor.UpdateThresholds(pendingSettings);
        monitor.Start();
        return Task.FromResult(new Running(connection, monitor, new SessionCommands(connection, monitor)));
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0 && running.IsValueCreated)
        {
            var state = await running.GetValueAsync().ConfigureAwait(false);
            await state.Monitor.DisposeAsync().ConfigureAwait(false);
            await state.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SendNotificationsAsync()
    {
        await foreach (var (method, parameters) in outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await rpc!.NotifyWithParameterObjectAsync(method, parameters).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private sealed record Running(TmuxConnection Connection, SessionMonitor Monitor, SessionCommands Commands);
}
