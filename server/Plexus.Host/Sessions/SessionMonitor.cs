using System.Threading.Channels;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;
using Plexus.Host.Status;
using Plexus.Host.Tmux;

namespace Plexus.Host.Sessions;

/// <summary>
/// The live model of a tmux server's sessions, owned by one loop. It reads tmux's lifecycle notifications and
/// the all-sessions subscription, re-lists sessions through the control client when something changed (one
/// ~0.1 ms command, never a fork), lets the status engine decide statuses, and publishes the result.
/// </summary>
internal sealed class SessionMonitor : IAsyncDisposable
{
    // Notifications after which the session list or a session's fields may differ.
    private static readonly HashSet<string> RelistingNotifications =
    [
        "sessions-changed", "session-renamed", "session-changed", "client-session-changed", "client-detached",
        "session-window-changed", "window-add", "window-close", "unlinked-window-add", "unlinked-window-close",
        "window-renamed", "unlinked-window-renamed", "window-pane-changed",
    ];

    private readonly TmuxConnection connection;
    private readonly ISessionEvents events;
    private readonly StatusEngine engine = new();
    private readonly Channel<Input> inbox = Channel.CreateUnbounded<Input>(new() { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly TimeProvider clock;
    private Task loop = Task.CompletedTask;
    private readonly HashSet<string> nudgedPanes = [];
    private readonly PaneExitWatcher? exitWatcher;
    private readonly List<ExitCheck> exitChecks = [];
    private readonly Dictionary<(string PaneId, int Pid), string> lastWords = [];
    private readonly Dictionary<(string PaneId, int Pid), string> codexThreads = [];
    private static readonly TimeSpan ExitRecheckInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ExitRecheckLimit = TimeSpan.FromSeconds(2);
    private DateTimeOffset? nextExitRecheck;
    private IReadOnlyList<TmuxSessionRow> rows = [];
    private string? controlSessionId;
    private volatile IReadOnlyList<Session> sessions = [];
    private bool published;

    public SessionMonitor(TmuxConnection connection, ISessionEvents events, TimeProvider? clock = null)
    {
        this.connection = connection;
        this.events = events;
        this.clock = clock ?? TimeProvider.System;
        exitWatcher = HostPlatform.PidfdPaneExits ? new PaneExitWatcher(pid => inbox.Writer.TryWrite(new PaneExited(pid))) : null;
    }

    /// <summary>The latest published list.</summary>
    public IReadOnlyList<Session> Sessions => sessions;

    /// <summary>Starts the loop and the connection, whose events go straight into this monitor's inbox.</summary>
    public void Start()
    {
        loop = RunAsync(stopping.Token);
        connection.Start(tmuxEvent => inbox.Writer.TryWrite(new FromTmux(tmuxEvent)));
    }

    /// <summary>Re-lists sessions now and returns once the published list reflects tmux's state.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.Writer.TryWrite(new RefreshRequest(done));
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void UpdateThresholds(StatusSettings settings) => inbox.Writer.TryWrite(new ThresholdsChanged(settings));

    public Session? Find(string name) => sessions.FirstOrDefault(session => session.Name == name);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        inbox.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        exitWatcher?.Dispose();
        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var waiters = new List<TaskCompletionSource>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await WaitForInputAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var relist = false;
                IReadOnlyList<TmuxSessionRow>? subscribed = null;
                while (inbox.Reader.TryRead(out var item))
                {
                    switch (item)
                    {
                        case RefreshRequest request:
                            waiters.Add(request.Done);
                            relist = true;
                            break;
                        case ThresholdsChanged { Settings: var settings }:
                            engine.Thresholds = new StatusThresholds(
                                TimeSpan.FromSeconds(settings.IdleAfterSeconds ?? engine.Thresholds.IdleAfter.TotalSeconds),
                                TimeSpan.FromSeconds(settings.StuckAfterSeconds ?? engine.Thresholds.StuckAfter.TotalSeconds));
                            break;
                        case FromTmux { Event: ServerConnected or ServerDisconnected }:
                            relist = true;
                            break;
                        case PaneExited exited:
                            exitChecks.Add(new ExitCheck(exited.Pid, clock.GetUtcNow()));
                            relist = true;
                            break;
                        case FromTmux { Event: TmuxNotification { Notification: var notification } }:
                            if (notification.Name == "subscription-changed" && notification.FirstArgument == SessionRows.SubscriptionName)
                            {
                                subscribed = SessionRows.Parse(notification.SubscriptionValue ?? string.Empty);
                            }
                            else if (RelistingNotifications.Contains(notification.Name))
                            {
                                relist = true;
                            }

                            break;
                    }
                }

                if (nextExitRecheck is { } recheckDue && recheckDue <= clock.GetUtcNow())
                {
                    relist = true;
                }

                if (relist)
                {
                    (rows, controlSessionId) = await ListAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (subscribed is not null)
                {
                    rows = subscribed;
                }

                var now = clock.GetUtcNow();
                engine.Observe(rows, now);
                exitWatcher?.Watch(rows.Where(row => !row.PaneDead).Select(row => row.PanePid));
                ScheduleExitRechecks(now);
                await NudgeLostExitsAsync(cancellationToken).ConfigureAwait(false);
                await CaptureQuietPanesAsync(now, cancellationToken).ConfigureAwait(false);
                await CaptureLastWordsAsync(cancellationToken).ConfigureAwait(false);
                Publish();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                HostLog.Warn($"session monitor: {ex.Message}");
            }
            finally
            {
                foreach (var waiter in waiters)
                {
                    waiter.TrySetResult();
                }

                waiters.Clear();
            }
        }
    }

    /// <summary>Waits for inbox items, or for the status engine's next threshold, whichever comes first.</summary>
    private async Task<bool> WaitForInputAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var deadline = engine.NextDeadline(now);
        if (nextExitRecheck is { } recheck && (deadline is null || recheck < deadline))
        {
            deadline = recheck;
        }

        if (deadline is null)
        {
            return await inbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var delay = deadline.Value - now;
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        try
        {
            return await inbox.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    /// <summary>
    /// A pane's process has exited, but tmux learns it from its own SIGCHLD, which can arrive after our relist
    /// (or, on tmux 3.3a, get lost: see <see cref="TmuxConnection.NudgeChildReaperAsync"/>). Until the pane reads
    /// dead with a status, relist a few times at short intervals; this runs only after an exit, never idly.
    /// </summary>
    private void ScheduleExitRechecks(DateTimeOffset now)
    {
        exitChecks.RemoveAll(check =>
            now - check.Since > ExitRecheckLimit
            || !rows.Any(row => row.PanePid == check.Pid)
            || rows.Any(row => row.PanePid == check.Pid && row.PaneDead && (row.PaneDeadStatus is not null || row.PaneDeadSignal is not null)));
        nextExitRecheck = exitChecks.Count == 0 ? null : now + ExitRecheckInterval;
    }

    private async Task<SessionListing> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Waits out a reconnect in progress (tmux dropped the client with its session), so what is published
            // next is tmux's state after the change, never rows from before it.
            return await connection.ListSessionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PlexusException ex) when (ex.Code == ErrorCodes.TmuxServerUnavailable)
        {
            return new SessionListing([], null);
        }
        catch (TmuxCommandException ex)
        {
            // "no sessions" from a server that is exiting; the connection reports when it is gone.
            HostLog.Debug($"list-sessions failed: {ex.Message}");
            return new SessionListing([], null);
        }
    }

    private async Task CaptureQuietPanesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = engine.DueForCapture(now);
        if (due.Count == 0 || !connection.IsConnected)
        {
            return;
        }

        // Only the visible screen: the bottom rows decide, and it keeps the capture small. The session list goes in
        // the same round trip: tmux re-evaluates the subscription only about once a second, so output printed
        // since its last report shows only there, and such a session is not quiet after all.
        List<string> commands = [.. SessionRows.ListingCommands, .. due.Select(pane => TmuxSyntax.Command("capture-pane", "-p", "-t", pane.PaneId))];
        var captures = SessionRows.ListingCommands.Count;
        IReadOnlyList<ControlReply> replies;
        try
        {
            replies = await connection.QueryAsync(commands, cancellationToken).ConfigureAwait(false);
        }
        catch (PlexusException ex)
        {
            HostLog.Debug($"capture failed: {ex.Message}");
            return;
        }

        var capturedAt = clock.GetUtcNow();
        if (replies[0].Success)
        {
            (rows, controlSessionId) = SessionRows.ParseListing(replies[0], replies[1]);
            engine.Observe(rows, capturedAt);
        }

        var stillDue = engine.DueForCapture(capturedAt).ToHashSet();
        for (var i = 0; i < due.Count; i++)
        {
            var row = rows.FirstOrDefault(candidate => candidate.Id == due[i].SessionId);
            if (row is null || !replies[i + captures].Success || !stillDue.Contains(due[i]))
            {
                continue;
            }

            var verdict = ScreenClassifier.Classify(string.Join('\n', replies[i + captures].Lines), row.PaneCommand);
            engine.ApplyScreen(due[i].SessionId, verdict, capturedAt);
        }
    }

    /// <summary>Panes seen dead with neither exit status nor signal: tmux lost their SIGCHLD; nudge it once per death.</summary>
    private async Task NudgeLostExitsAsync(CancellationToken cancellationToken)
    {
        nudgedPanes.RemoveWhere(pane => !rows.Any(row => row.PaneId == pane && row.PaneDead));
        var lost = rows.Where(row => row is { PaneDead: true, PaneDeadStatus: null, PaneDeadSignal: null } && nudgedPanes.Add(row.PaneId)).ToList();
        if (lost.Count > 0 && connection.IsConnected)
        {
            HostLog.Debug($"no exit status for {string.Join(", ", lost.Select(row => row.PaneId))}; nudging tmux to reap");
            await connection.NudgeChildReaperAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A pane whose program has exited keeps its screen (remain-on-exit): read its last lines once, so an error says
    /// why ("command not found") without the user attaching. Keyed by pane and pid: a respawn gets a new pid.
    /// </summary>
    private async Task CaptureLastWordsAsync(CancellationToken cancellationToken)
    {
        var dead = rows.Where(row => row.PaneDead && (row.PaneDeadStatus is not null || row.PaneDeadSignal is not null)).ToList();
        foreach (var key in lastWords.Keys.Where(key => !dead.Any(row => (row.PaneId, row.PanePid) == key)).ToList())
        {
            lastWords.Remove(key);
        }

        var due = dead.Where(row => !lastWords.ContainsKey((row.PaneId, row.PanePid))).ToList();
        if (due.Count == 0 || !connection.IsConnected)
        {
            return;
        }

        IReadOnlyList<ControlReply> replies;
        try
        {
            // The screen and a little history (a program that fails at once prints a line or two), and the
            // session's command, to explain an exit whose words tmux did not keep.
            replies = await connection.QueryAsync(
                due.SelectMany(row => new[]
                {
                    TmuxSyntax.Command("capture-pane", "-p", "-J", "-S", "-" + LastWordsHistory, "-t", row.PaneId),
                    TmuxSyntax.Command("show-options", "-p", "-v", "-q", "-t", row.PaneId, SessionCommands.UserCommandOption),
                }).ToList(),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PlexusException ex)
        {
            HostLog.Debug($"capture of exited panes failed: {ex.Message}");
            return;
        }

        for (var i = 0; i < due.Count; i++)
        {
            var (screen, command) = (replies[2 * i], replies[(2 * i) + 1]);
            var words = screen.Success ? LastWords.FromScreen(screen.Lines) : string.Empty;
            lastWords[(due[i].PaneId, due[i].PanePid)] = words.Length > 0 || !command.Success
                ? words
                : LastWords.WhenNothingWasKept(due[i].PaneDeadStatus, string.Join('\n', command.Lines));
        }
    }

    private const int LastWordsHistory = 50;

    /// <summary>
    /// The hook between the status engine and what the monitor publishes: an ended or failed session's detail is the
    /// last lines its program printed, unless the engine gave one.
    /// </summary>
    private string? ExitDetail(TmuxSessionRow? row, SessionStatus status, string? detail) =>
        detail is null && row is not null && status is SessionStatus.Ended or SessionStatus.Error
            && lastWords.TryGetValue((row.PaneId, row.PanePid), out var words) && words.Length > 0
            ? words
            : detail;

    private void Publish()
    {
        var transitions = engine.DrainTransitions();
        FindCodexThreads(transitions);
        var next = rows
            .Select(row => ToSession(row, controlSessionId))
            .OrderBy(session => session.CreatedAt)
            .ThenBy(session => session.Id, StringComparer.Ordinal)
            .ToList();

        foreach (var change in transitions)
        {
            var row = rows.FirstOrDefault(candidate => candidate.Id == change.Id);
            events.StatusChanged(change with { Detail = ExitDetail(row, change.Status, change.Detail) });
        }

        // The first list goes out even when empty: clients wait for it after initialize.
        if (!published || !next.SequenceEqual(sessions))
        {
            published = true;
            sessions = next;
            events.SessionsChanged(next);
        }
    }

    private Session ToSession(TmuxSessionRow row, string? controlSession)
    {
        var status = engine.Current(row.Id);
        var decision = status?.Decision ?? new StatusDecision(SessionStatus.Unknown);
        return new Session(
            Name: row.Name,
            Id: row.Id,
            Windows: row.Windows,
            AttachedClients: Math.Max(0, row.Attached - (row.Id == controlSession ? 1 : 0)),
            CreatedAt: row.CreatedAt,
            Command: row.PaneCommand,
            Cwd: row.PaneCwd,
            Status: decision.Status,
            StatusSince: (status?.Since ?? clock.GetUtcNow()).ToUnixTimeMilliseconds() / 1000.0,
            Reason: decision.Reason,
            Detail: ExitDetail(row, decision.Status, decision.Detail),
            ExitCode: decision.ExitCode,
            Agent: status?.Agent,
            AgentSessionId: status?.ConversationId ?? codexThreads.GetValueOrDefault((row.PaneId, row.PanePid)));
    }

    /// <summary>
    /// A Codex session whose status just changed and whose conversation is not known yet: read it from the rollout
    /// file Codex keeps open (<see cref="CodexThreads"/>). Codex opens it at the first prompt, whose turn changes the
    /// status, so looking on transitions only finds it without any polling.
    /// </summary>
    private void FindCodexThreads(IReadOnlyList<StatusChangedParams> transitions)
    {
        codexThreads.Keys.Where(pane => !rows.Any(row => (row.PaneId, row.PanePid) == pane)).ToList().ForEach(pane => codexThreads.Remove(pane));
        foreach (var change in transitions)
        {
            if (rows.FirstOrDefault(row => row.Id == change.Id) is { PaneDead: false } row
                && engine.Current(row.Id) is { Agent: AgentKind.Codex, ConversationId: null }
                && !codexThreads.ContainsKey((row.PaneId, row.PanePid))
                && CodexThreads.Find(row.PanePid) is { } thread)
            {
                codexThreads[(row.PaneId, row.PanePid)] = thread;
            }
        }
    }

    /// <summary>What the monitor's loop reads, in order.</summary>
    private abstract record Input;

    private sealed record FromTmux(TmuxEvent Event) : Input;

    private sealed record RefreshRequest(TaskCompletionSource Done) : Input;

    private sealed record ThresholdsChanged(StatusSettings Settings) : Input;

    private sealed record PaneExited(int Pid) : Input;

    private sealed record ExitCheck(int Pid, DateTimeOffset Since);
}
