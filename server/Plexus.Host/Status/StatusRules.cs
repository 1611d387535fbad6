using Plexus.Host.Protocol;
using Plexus.Host.Status.Detectors;

namespace Plexus.Host.Status;

/// <summary>How long output must stop before a session counts as idle, and before a busy screen counts as stuck.</summary>
internal sealed record StatusThresholds(TimeSpan IdleAfter, TimeSpan StuckAfter)
{
    public static StatusThresholds Default { get; } = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120));
}

/// <summary>
/// Everything known about a pane at one moment. When <paramref name="DeadBySignal"/> is true,
/// <paramref name="DeadStatus"/> holds the signal number (tmux <c>pane_dead_signal</c>), otherwise the exit status.
/// <paramref name="Screen"/> is null until the caller has captured and classified the screen.
/// </summary>
internal sealed record PaneObservation(
    bool Dead,
    int? DeadStatus,
    bool DeadBySignal,
    string CurrentCommand,
    TimeSpan SinceLastOutput,
    ScreenVerdict? Screen);

/// <summary>The status a pane should have, with the waiting reason, the deciding line and the exit code.</summary>
internal sealed record StatusDecision(SessionStatus Status, WaitingReason? Reason = null, string? Detail = null, int? ExitCode = null);

/// <summary>The pure status decision: an observation and thresholds in, a status out. No clocks, no tmux.</summary>
internal static class StatusRules
{
    // Shells report death by signal N as exit status 128+N; using the same number lets users read it as usual.
    private const int SignalExitBase = 128;

    public static StatusDecision Decide(PaneObservation observation, StatusThresholds thresholds)
    {
        if (observation.Dead)
        {
            return Exited(observation);
        }

        var quiet = observation.SinceLastOutput;
        if (quiet < thresholds.IdleAfter)
        {
            return new StatusDecision(SessionStatus.Running);
        }

        // Quiet, but the screen is not read yet: stay running until the caller captures it and asks again.
        if (observation.Screen is not { } screen)
        {
            return new StatusDecision(SessionStatus.Running);
        }

        var stuck = quiet >= thresholds.StuckAfter;
        return screen.Kind switch
        {
            ScreenKind.Waiting => new StatusDecision(SessionStatus.Waiting, screen.Reason ?? WaitingReason.Input, screen.Detail),
            ScreenKind.Busy when stuck => new StatusDecision(SessionStatus.Stuck, Detail: screen.Detail),
            ScreenKind.Busy => new StatusDecision(SessionStatus.Running),
            ScreenKind.Error => new StatusDecision(SessionStatus.Error, Detail: screen.Detail),

            // A quiet program with no agent screen (sleep, tail -f, a dev server) is idle however long it stays so:
            // stuck needs a busy indicator that stopped moving.
            _ => new StatusDecision(SessionStatus.Idle),
        };
    }

    private static StatusDecision Exited(PaneObservation observation)
    {
        if (observation.DeadBySignal)
        {
            return new StatusDecision(SessionStatus.Error, ExitCode: SignalExitBase + observation.DeadStatus);
        }

        return observation.DeadStatus switch
        {
            0 => new StatusDecision(SessionStatus.Ended, ExitCode: 0),
            { } status => new StatusDecision(SessionStatus.Error, ExitCode: status),
            null => new StatusDecision(SessionStatus.Error),
        };
    }
}
