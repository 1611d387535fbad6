using Plexus.Host.Protocol;
using Plexus.Host.Status;
using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Status;

/// <summary>The engine's time rules, driven with an explicit clock: no processes, no waiting.</summary>
public sealed class StatusEngineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);
    private readonly StatusEngine engine = new() { Thresholds = new StatusThresholds(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120)) };

    [Fact]
    public void FreshOutput_IsRunning_UntilTheIdleThreshold()
    {
        engine.Observe([Row(activity: Start)], Start);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
        // Activity second S may still be printing until S+1, so the idle threshold counts from there.
        Assert.Equal(Start + TimeSpan.FromSeconds(1 + 3), engine.NextDeadline(Start));
        Assert.Empty(engine.DueForCapture(Start + TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void GoingQuiet_AsksForOneCapture_AndKeepsTheStatusUntilThen()
    {
        engine.Observe([Row(activity: Start)], Start);
        var quiet = Start + TimeSpan.FromSeconds(5);

        engine.Observe([Row(activity: Start)], quiet);

        Assert.Equal(("$1", "%1"), Assert.Single(engine.DueForCapture(quiet)));
        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void QuestionOnScreen_TurnsWaiting_WithReasonAndDetail()
    {
        engine.Observe([Row(activity: Start)], Start);
        engine.DrainTransitions();
        var quiet = Start + TimeSpan.FromSeconds(5);

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Permission, "Overwrite? [y/N]"), quiet);

        var change = Assert.Single(engine.DrainTransitions());
        Assert.Equal((SessionStatus.Waiting, SessionStatus.Running, WaitingReason.Permission, "Overwrite? [y/N]"), (change.Status, change.Previous, change.Reason, change.Detail));
        Assert.Empty(engine.DueForCapture(quiet + TimeSpan.FromMinutes(10)));
        Assert.Null(engine.NextDeadline(quiet));
    }

    [Fact]
    public void AWaitReadFromTheScreen_IsDatedFromTheLastOutput_SoARestartedHostDatesItAlike()
    {
        engine.Observe([Row(activity: Start)], Start);
        var quiet = Start + TimeSpan.FromSeconds(5);

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Permission, "Overwrite? [y/N]"), quiet);

        // Output second S counts as printing until S+1.
        Assert.Equal(Start + TimeSpan.FromSeconds(1), engine.Current("$1")!.Since);
    }

    [Fact]
    public void BusyIndicatorFrozen_IsRunningThenStuck_AfterASecondLook()
    {
        engine.Observe([Row(activity: Start)], Start);
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Busy, Detail: "✻ Thinking… (esc to interrupt)"), Start + TimeSpan.FromSeconds(5));
        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
        var stuckAt = engine.NextDeadline(Start + TimeSpan.FromSeconds(5))!.Value;

        engine.Observe([Row(activity: Start)], stuckAt);
        Assert.Single(engine.DueForCapture(stuckAt));
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Busy, Detail: "✻ Thinking… (esc to interrupt)"), stuckAt);

        Assert.Equal(SessionStatus.Stuck, engine.Current("$1")!.Decision.Status);
        Assert.Null(engine.NextDeadline(stuckAt));
    }

    [Fact]
    public void NewOutput_ForgetsTheLastScreen_AndIsRunningAgain()
    {
        engine.Observe([Row(activity: Start)], Start);
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Idle), Start + TimeSpan.FromSeconds(5));
        var later = Start + TimeSpan.FromSeconds(60);

        engine.Observe([Row(activity: later)], later);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
        Assert.Empty(engine.DueForCapture(later));
    }

    [Theory]
    [InlineData(0, null, SessionStatus.Ended, 0)]
    [InlineData(3, null, SessionStatus.Error, 3)]
    [InlineData(null, 9, SessionStatus.Error, 137)]
    public void DeadPane_EndsOrFails_WithExitCode_AndNeverCaptures(int? status, int? signal, SessionStatus expected, int exitCode)
    {
        engine.Observe([Row(activity: Start) with { PaneDead = true, PaneDeadStatus = status, PaneDeadSignal = signal }], Start + TimeSpan.FromSeconds(30));

        var current = engine.Current("$1")!.Decision;
        Assert.Equal((expected, exitCode), (current.Status, current.ExitCode));
        Assert.Empty(engine.DueForCapture(Start + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void VanishedSession_IsForgotten()
    {
        engine.Observe([Row(activity: Start)], Start);

        engine.Observe([], Start);

        Assert.Null(engine.Current("$1"));
        Assert.Null(engine.NextDeadline(Start));
    }

    private static TmuxSessionRow Row(DateTimeOffset activity) =>
        new("$1", "agent", 1, 0, Start.ToUnixTimeSeconds(), "%1", 4242, false, null, null, "claude", activity.ToUnixTimeSeconds(), "✳ Claude Code", string.Empty, "/tmp");
}
