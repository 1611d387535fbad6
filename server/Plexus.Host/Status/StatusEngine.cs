using Plexus.Host.Protocol;
using Plexus.Host.Tmux;

namespace Plexus.Host.Status;

/// <summary>
/// Turns what tmux reports (pane output times, dead panes) and, only when a session goes quiet, one look at its
/// screen into a status per session. It holds no timers and forks nothing: its owner feeds it snapshots and the
/// current time, asks which panes to capture, and wakes it at <see cref="NextDeadline"/>.
/// </summary>
internal sealed class StatusEngine
{
    // tmux can lose a pane's SIGCHLD and learn its exit status only later (see TmuxServer.NudgeChildReaperAsync);
    // meanwhile the pane keeps its last status instead of reporting an error without a code.
    private static readonly TimeSpan ExitStatusWait = TimeSpan.FromSeconds(3);

    // While a hook or the title says the agent waits, output goes on (Claude blinks the pending tool's "●" twice a
    // second), so the screen is read again at most this often to notice the prompt answered in a terminal.
    private static readonly TimeSpan PromptRecheck = TimeSpan.FromSeconds(1);

    // The prompt a hook announces is drawn a moment after the hook runs; a screen read sooner still shows the turn
    // busy and must not count as "answered".
    private static readonly TimeSpan PromptDrawn = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Tracker> trackers = [];
    private readonly List<StatusChangedParams> transitions = [];

    public StatusThresholds Thresholds { get; set; } = StatusThresholds.Default;

    /// <summary>Takes a fresh snapshot of all sessions; sessions missing from it are forgotten.</summary>
    public void Observe(IReadOnlyList<TmuxSessionRow> rows, DateTimeOffset now)
    {
        var present = rows.Select(row => row.Id).ToHashSet();
        foreach (var gone in trackers.Keys.Where(id => !present.Contains(id)).ToList())
        {
            trackers.Remove(gone);
        }

        foreach (var row in rows)
        {
            if (!trackers.TryGetValue(row.Id, out var tracker))
            {
                tracker = new Tracker(row, LatestOutputTime(row.LastActivity), now);
                trackers.Add(row.Id, tracker);
                ReadHook(tracker, row.AgentHook, now);
            }
            else
            {
                if (row.AgentHook != tracker.Row.AgentHook)
                {
                    ReadHook(tracker, row.AgentHook, now);
                }

                if (row.LastActivity != tracker.Row.LastActivity || row.PaneId != tracker.Row.PaneId || row.PaneDead != tracker.Row.PaneDead)
                {
                    tracker.LastOutput = LatestOutputTime(row.LastActivity);
                    tracker.Screen = null;
                }

                if (row.PaneDead != tracker.Row.PaneDead || row.PaneId != tracker.Row.PaneId)
                {
                    tracker.DeadSince = now;
                }

                tracker.Row = row;
            }

            ReadTitle(tracker, now);
            Decide(tracker, now);
        }
    }

    /// <summary>
    /// Panes whose screen must be read now: the session just went quiet, or it has been quiet for the stuck
    /// threshold while the last look showed a busy indicator.
    /// </summary>
    public IReadOnlyList<(string SessionId, string PaneId)> DueForCapture(DateTimeOffset now) =>
        trackers.Values.Where(tracker => NeedsCapture(tracker, now) || NeedsPromptCheck(tracker, now))
            .Select(tracker => (tracker.Row.Id, tracker.Row.PaneId)).ToList();

    public void ApplyScreen(string sessionId, ScreenVerdict verdict, DateTimeOffset now)
    {
        if (trackers.TryGetValue(sessionId, out var tracker))
        {
            tracker.Screen = verdict;
            tracker.LastScreen = verdict;
            tracker.ScreenAt = now;

            // The user answered in a terminal: Claude fires no hook between approval and PostToolUse, and Esc fires
            // none at all, so a screen without the prompt ends the hook's word until the next hook.
            if (tracker.Hook is { Status: SessionStatus.Waiting } && !tracker.HookAnswered &&
                now - tracker.HookAt >= PromptDrawn && verdict.Kind is ScreenKind.Busy or ScreenKind.Idle or ScreenKind.Error)
            {
                tracker.HookAnswered = true;
            }

            Decide(tracker, now);
        }
    }

    /// <summary>When the next threshold falls due, or null when nothing changes until tmux reports something.</summary>
    public DateTimeOffset? NextDeadline(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var tracker in trackers.Values)
        {
            var due = DeadlineOf(tracker, now);
            if (due is { } value && (next is null || value < next))
            {
                next = value;
            }
        }

        return next;
    }

    public StatusSnapshot? Current(string sessionId) =>
        trackers.TryGetValue(sessionId, out var tracker)
            ? new StatusSnapshot(
                tracker.Decision,
                tracker.Since,
                tracker.HookAgent ?? tracker.TitleAgent ?? AgentSignals.AgentOf(tracker.Row, tracker.LastScreen?.Agent),
                tracker.ConversationId)
            : null;

    /// <summary>Status changes since the last call, oldest first.</summary>
    public IReadOnlyList<StatusChangedParams> DrainTransitions()
    {
        var drained = transitions.ToList();
        transitions.Clear();
        return drained;
    }

    /// <summary>
    /// tmux reports <c>window_activity</c> in whole seconds, so output seen as second S happened before S+1;
    /// taking the latest possible moment never calls a session quiet too early. That moment may still be ahead:
    /// until second S is over, more output would leave the reported value unchanged.
    /// </summary>
    private static DateTimeOffset LatestOutputTime(long activitySeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(activitySeconds + 1);

    private bool NeedsCapture(Tracker tracker, DateTimeOffset now)
    {
        if (tracker.Row.PaneDead)
        {
            return false;
        }

        var quiet = now - tracker.LastOutput;
        if (quiet < Thresholds.IdleAfter)
        {
            return false;
        }

        return tracker.Screen is null || (quiet >= Thresholds.StuckAfter && AwaitsStuckCheck(tracker));
    }

    /// <summary>
    /// A hook or the title says the agent waits and output went on since the screen was last read (or it was never
    /// read during this wait): look again, at most once per <see cref="PromptRecheck"/>. Nothing printed, no capture.
    /// </summary>
    private static bool NeedsPromptCheck(Tracker tracker, DateTimeOffset now) =>
        PromptCheckDue(tracker) is { } due && now >= due;

    private static DateTimeOffset? PromptCheckDue(Tracker tracker)
    {
        if (tracker.Row.PaneDead || SignalToCheckSince(tracker) is not { } since)
        {
            return null;
        }

        if (tracker.LastScreen is not null && tracker.ScreenAt >= since && tracker.LastOutput <= tracker.ScreenAt)
        {
            return null;
        }

        var earliest = tracker.LastScreen is null ? since : Max(since, tracker.ScreenAt + PromptRecheck);
        return tracker.ActiveHook is not null ? Max(earliest, tracker.HookAt + PromptDrawn) : earliest;
    }

    /// <summary>When the waiting a hook or title announces began, or null when neither says the agent waits.</summary>
    // A hook's idle is checked once too: Gemini fires AfterAgent after a failed turn as well, and only the screen
    // shows the API error.
    private static DateTimeOffset? SignalToCheckSince(Tracker tracker) =>
        tracker.ActiveHook is { Status: SessionStatus.Waiting or SessionStatus.Idle } ? tracker.HookAt
        : tracker.ActiveHook is null && tracker.Title is { Status: SessionStatus.Waiting } ? tracker.TitleSince
        : null;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void ReadHook(Tracker tracker, string value, DateTimeOffset now)
    {
        var previous = tracker.ActiveHook;
        tracker.HookAt = now;
        tracker.HookAnswered = false;
        if (AgentSignals.ParseHook(value) is not { } hook)
        {
            tracker.Hook = null;
            return;
        }

        tracker.HookAgent = hook.Agent;
        tracker.ConversationId = hook.SessionId ?? tracker.ConversationId;
        var verdict = AgentSignals.HookVerdict(hook);

        // A notification about a prompt already announced ("Claude needs your permission", Gemini's ToolPermission
        // after BeforeTool ask_user) knows less than the event before it: keep that one's reason and detail.
        if (verdict is { Status: SessionStatus.Waiting } && previous is { Status: SessionStatus.Waiting })
        {
            verdict = previous;
        }

        // An event that says nothing about the status leaves the last verdict standing.
        tracker.Hook = verdict ?? tracker.Hook;
    }

    private static void ReadTitle(Tracker tracker, DateTimeOffset now)
    {
        var signal = AgentSignals.TitleVerdict(tracker.Row.PaneTitle);
        tracker.TitleAgent = signal?.Agent ?? tracker.TitleAgent;
        var verdict = signal?.Verdict;
        if (verdict?.Status != tracker.Title?.Status)
        {
            tracker.TitleSince = now;
        }

        tracker.Title = verdict;
    }

    /// <summary>
    /// What the agent itself says, in rank order: a hook that the agent waits, is idle or failed (authoritative over
    /// output, which goes on while Claude blinks at a prompt), then the title. Null leaves it to output and screen.
    /// </summary>
    private static StatusDecision? SignalDecision(Tracker tracker)
    {
        // A failed turn must not read as idle: Gemini ends it with AfterAgent, only the screen shows the API error. The
        // last look counts, not only a look since the last output: Gemini redraws its status row after every hook.
        var screenError = tracker.LastScreen is { Kind: ScreenKind.Error } error ? new StatusDecision(SessionStatus.Error, Detail: error.Detail) : null;
        if (tracker.ActiveHook is { } hook)
        {
            return hook.Status switch
            {
                SessionStatus.Waiting => hook,
                SessionStatus.Idle or SessionStatus.Error when screenError is not null && tracker.ScreenAt >= tracker.HookAt => screenError,
                _ => hook,
            };
        }

        return tracker.Title switch
        {
            { Status: SessionStatus.Waiting } => tracker.LastScreen is { Kind: ScreenKind.Waiting } screen && tracker.ScreenAt >= tracker.TitleSince
                ? new StatusDecision(SessionStatus.Waiting, screen.Reason ?? WaitingReason.Permission, screen.Detail)
                : new StatusDecision(SessionStatus.Waiting, WaitingReason.Permission),
            { Status: SessionStatus.Idle } when screenError is not null && tracker.ScreenAt >= tracker.TitleSince => screenError,
            { } title => title,
            null => null,
        };
    }

    private bool AwaitsStuckCheck(Tracker tracker) =>
        tracker.Screen is { Kind: ScreenKind.Busy } && tracker.ScreenAt - tracker.LastOutput < Thresholds.StuckAfter;

    private static bool ExitStatusPending(Tracker tracker, DateTimeOffset now) =>
        tracker.Row is { PaneDead: true, PaneDeadStatus: null, PaneDeadSignal: null } && now - tracker.DeadSince < ExitStatusWait;

    private DateTimeOffset? DeadlineOf(Tracker tracker, DateTimeOffset now)
    {
        if (tracker.Row.PaneDead)
        {
            return ExitStatusPending(tracker, now) ? tracker.DeadSince + ExitStatusWait : null;
        }

        var prompt = PromptCheckDue(tracker);
        var quiet = now - tracker.LastOutput;
        DateTimeOffset? due = quiet < Thresholds.IdleAfter ? tracker.LastOutput + Thresholds.IdleAfter
            : tracker.Screen is null ? now
            : AwaitsStuckCheck(tracker) ? tracker.LastOutput + Thresholds.StuckAfter
            : null;
        return prompt is { } check && (due is null || check < due) ? check : due;
    }

    private void Decide(Tracker tracker, DateTimeOffset now)
    {
        var row = tracker.Row;
        var quiet = now - tracker.LastOutput;
        var announced = row.PaneDead ? null : SignalDecision(tracker);
        if (announced is null && !row.PaneDead && quiet >= Thresholds.IdleAfter && tracker.Screen is null)
        {
            // Quiet but not looked at yet: keep the last status until the capture decides.
            return;
        }

        if (ExitStatusPending(tracker, now))
        {
            return;
        }

        var observation = new PaneObservation(
            Dead: row.PaneDead,
            DeadStatus: row.PaneDeadStatus,
            DeadBySignal: row.PaneDeadSignal is not null,
            CurrentCommand: row.PaneCommand,
            SinceLastOutput: quiet,
            Screen: tracker.Screen);
        var decision = announced ?? StatusRules.Decide(observation, Thresholds);
        if (row.PaneDeadSignal is { } signal && decision.ExitCode is null)
        {
            decision = decision with { ExitCode = 128 + signal };
        }

        var previous = tracker.Decision;
        if (decision.Status == previous.Status && decision.Reason == previous.Reason)
        {
            tracker.Decision = decision;
            return;
        }

        tracker.Decision = decision;

        // A status read from a quiet screen began when the output stopped, not when the screen was read: so a host
        // that restarts (and may first see the session as running for a moment) dates the same wait the same way,
        // and clients can tell a transition they already told the user about. A session first seen quiet counts so
        // for a stuck one too.
        var quietSince = tracker.LastOutput < now ? tracker.LastOutput : now;
        var fromQuietScreen = announced is null && decision.Status is SessionStatus.Idle or SessionStatus.Waiting;
        var firstSeenQuiet = previous.Status == SessionStatus.Unknown && decision.Status is SessionStatus.Idle or SessionStatus.Waiting or SessionStatus.Stuck;
        tracker.Since = fromQuietScreen || firstSeenQuiet ? quietSince : now;
        transitions.Add(new StatusChangedParams(
            Name: row.Name,
            Id: row.Id,
            Status: decision.Status,
            Previous: previous.Status,
            Since: tracker.Since.ToUnixTimeMilliseconds() / 1000.0,
            Reason: decision.Reason,
            Detail: decision.Detail,
            ExitCode: decision.ExitCode));
    }

    private sealed class Tracker(TmuxSessionRow row, DateTimeOffset lastOutput, DateTimeOffset now)
    {
        public TmuxSessionRow Row { get; set; } = row;

        public DateTimeOffset LastOutput { get; set; } = lastOutput;

        /// <summary>The screen read since the last output, or null once output moved on.</summary>
        public ScreenVerdict? Screen { get; set; }

        /// <summary>The last screen read, kept across output (a prompt's screen while its "●" blinks).</summary>
        public ScreenVerdict? LastScreen { get; set; }

        /// <summary>The latest hook's verdict (events that say nothing keep the one before).</summary>
        public StatusDecision? Hook { get; set; }

        /// <summary>When the hook value last changed.</summary>
        public DateTimeOffset HookAt { get; set; } = now;

        /// <summary>A screen read after the hook showed its prompt gone; the hook has no say until the next one.</summary>
        public bool HookAnswered { get; set; }

        /// <summary>
        /// The hook verdict that rules now: waiting, idle or failed, not yet answered. "Running" and "ended" never
        /// rule: quiet output and the screen tell an Esc that fires no hook, and only a dead pane has ended.
        /// </summary>
        public StatusDecision? ActiveHook =>
            Hook is { Status: SessionStatus.Waiting or SessionStatus.Idle or SessionStatus.Error } && !HookAnswered ? Hook : null;

        public StatusDecision? Title { get; set; }

        public DateTimeOffset TitleSince { get; set; } = now;

        public AgentKind? HookAgent { get; set; }

        public AgentKind? TitleAgent { get; set; }

        public string? ConversationId { get; set; }

        public DateTimeOffset ScreenAt { get; set; }

        public StatusDecision Decision { get; set; } = new(SessionStatus.Unknown);

        public DateTimeOffset Since { get; set; } = now;

        /// <summary>When the pane was first seen dead (meaningful only while it is).</summary>
        public DateTimeOffset DeadSince { get; set; } = now;
    }
}

/// <summary>A session's current status and when it began.</summary>
internal sealed record StatusSnapshot(StatusDecision Decision, DateTimeOffset Since, AgentKind? Agent = null, string? ConversationId = null);
