using System.Reflection;
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

    // Written by request threads and read when the monitor starts: an immutable record swapped whole, read
    // fresh each time (see UpdateSettings for the start-up race).
    private volatile StatusSettings pendingSettings = new();
    private int shutdownRequested;
    private int stopped;

    public PlexusServer(TmuxEndpoint endpoint)
    {
        this.endpoint = endpoint;
        tmuxVersion = new AsyncLazy<string?>(ReadTmuxVersionAsync, joinableTaskFactory: null);
        running = new AsyncLazy<Running>(StartAsync, joinableTaskFactory: null);
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
            var state = await running.GetValueAsync(cancellationToken).ConfigureAwait(false);
            state.Monitor.UpdateThresholds(pendingSettings);
            await state.Connection.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            await state.Monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
            serverRunning = state.Connection.IsConnected;
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
        return await state.Commands.CreateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EmptyResult> KillSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default)
    {
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        await state.Commands.KillAsync(RequireName(request?.Name), cancellationToken).ConfigureAwait(false);
        return new EmptyResult();
    }

    public async Task<Session> RenameSessionAsync(RenameSessionParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.RenameAsync(RequireName(request.Name), request.NewName ?? string.Empty, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScrollbackResult> ScrollbackAsync(ScrollbackParams? request = null, CancellationToken cancellationToken = default)
    {
        request = Require(request);
        var state = await RequireTmuxAsync(cancellationToken).ConfigureAwait(false);
        return await state.Commands.ScrollbackAsync(RequireName(request.Name), request.Lines, cancellationToken).ConfigureAwait(false);
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

    void ISessionEvents.SessionsChanged(IReadOnlyList<Session> sessions) =>
        outgoing.Writer.TryWrite(client => client.SessionsChangedAsync(new SessionsChangedParams(sessions), closing.Token));

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
        return Task.FromResult(new Running(connection, monitor, new SessionCommands(connection, monitor, new AgentLaunch(AgentHookFiles.ForUser()))));
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
