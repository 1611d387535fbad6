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
            }
            else
            {
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

            Decide(tracker, now);
        }
    }

    /// <summary>
    /// Panes whose screen must be read now: the session just went quiet, or it has been quiet for the stuck
    /// threshold while the last look showed a busy indicator.
    /// </summary>
    public IReadOnlyList<(string SessionId, string PaneId)> DueForCapture(DateTimeOffset now) =>
        trackers.Values.Where(tracker => NeedsCapture(tracker, now)).Select(tracker => (tracker.Row.Id, tracker.Row.PaneId)).ToList();

    public void ApplyScreen(string sessionId, ScreenVerdict verdict, DateTimeOffset now)
    {
        if (trackers.TryGetValue(sessionId, out var tracker))
        {
            tracker.Screen = verdict;
            tracker.ScreenAt = now;
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
        trackers.TryGetValue(sessionId, out var tracker) ? new StatusSnapshot(tracker.Decision, tracker.Since) : null;

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

        var quiet = now - tracker.LastOutput;
        if (quiet < Thresholds.IdleAfter)
        {
            return tracker.LastOutput + Thresholds.IdleAfter;
        }

        if (tracker.Screen is null)
        {
            return now;
        }

        return AwaitsStuckCheck(tracker) ? tracker.LastOutput + Thresholds.StuckAfter : null;
    }

    private void Decide(Tracker tracker, DateTimeOffset now)
    {
        var row = tracker.Row;
        var quiet = now - tracker.LastOutput;
        if (!row.PaneDead && quiet >= Thresholds.IdleAfter && tracker.Screen is null)
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
        var decision = StatusRules.Decide(observation, Thresholds);
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

        // A session first seen quiet (e.g. after a host restart) has been so since its last output, not since now.
        var quietSince = tracker.LastOutput < now ? tracker.LastOutput : now;
        tracker.Since = previous.Status == SessionStatus.Unknown && decision.Status is SessionStatus.Idle or SessionStatus.Waiting or SessionStatus.Stuck
            ? quietSince
            : now;
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

        public ScreenVerdict? Screen { get; set; }

        public DateTimeOffset ScreenAt { get; set; }

        public StatusDecision Decision { get; set; } = new(SessionStatus.Unknown);

        public DateTimeOffset Since { get; set; } = now;

        /// <summary>When the pane was first seen dead (meaningful only while it is).</summary>
        public DateTimeOffset DeadSince { get; set; } = now;
    }
}

/// <summary>A session's current status and when it began.</summary>
internal sealed record StatusSnapshot(StatusDecision Decision, DateTimeOffset Since);
