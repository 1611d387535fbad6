using Plexus.Host.Protocol;
using Plexus.Host.Status;

namespace Plexus.Host.Tests.Status;

public sealed class StatusRulesTests
{
    private static readonly StatusThresholds Thresholds = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120));

    private static PaneObservation Quiet(TimeSpan quiet, ScreenVerdict? screen, string command = "claude") =>
        new(Dead: false, DeadStatus: null, DeadBySignal: false, command, quiet, screen);

    private static PaneObservation Dead(int? status, bool bySignal = false) =>
        new(Dead: true, status, bySignal, "bash", TimeSpan.FromMinutes(10), new ScreenVerdict(ScreenKind.Idle));

    [Fact]
    public void Default_IsThreeSecondsIdleAndTwoMinutesStuck()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), StatusThresholds.Default.IdleAfter);
        Assert.Equal(TimeSpan.FromSeconds(120), StatusThresholds.Default.StuckAfter);
    }

    [Fact]
    public void Decide_DeadWithStatusZero_IsEndedWithCodeZero()
    {
        var decision = StatusRules.Decide(Dead(0), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Ended, ExitCode: 0), decision);
    }

    [Fact]
    public void Decide_DeadWithNonZeroStatus_IsErrorWithThatCode()
    {
        var decision = StatusRules.Decide(Dead(3), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Error, ExitCode: 3), decision);
    }

    [Fact]
    public void Decide_KilledBySignal_IsErrorWith128PlusSignal()
    {
        var decision = StatusRules.Decide(Dead(9, bySignal: true), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Error, ExitCode: 137), decision);
    }

    [Fact]
    public void Decide_KilledBySignalWithoutNumber_IsErrorWithoutCode()
    {
        var decision = StatusRules.Decide(Dead(null, bySignal: true), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Error), decision);
    }

    [Fact]
    public void Decide_DeadWithoutStatus_IsErrorWithoutCode()
    {
        var decision = StatusRules.Decide(Dead(null), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Error), decision);
    }

    [Fact]
    public void Decide_DeadPaneStillShowingQuestion_IsEnded()
    {
        var observation = new PaneObservation(
            true, 0, false, "bash", TimeSpan.Zero, new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Permission, "Continue? [y/N]"));

        var decision = StatusRules.Decide(observation, Thresholds);

        Assert.Equal(SessionStatus.Ended, decision.Status);
    }

    [Fact]
    public void Decide_RecentOutputWithQuestionOnScreen_IsRunning()
    {
        var screen = new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Permission, "Do you want to proceed?");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(1), screen), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Running), decision);
    }

    [Fact]
    public void Decide_QuietForExactlyIdleAfter_CountsAsQuiet()
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(3), new ScreenVerdict(ScreenKind.Idle)), Thresholds);

        Assert.Equal(SessionStatus.Idle, decision.Status);
    }

    [Fact]
    public void Decide_QuietButScreenNotCapturedYet_IsRunning()
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(10), screen: null), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Running), decision);
    }

    [Fact]
    public void Decide_QuietWithQuestion_IsWaitingWithReasonAndDetail()
    {
        var screen = new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Question, "Which store should the session cache use?", "claude");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(5), screen), Thresholds);

        Assert.Equal(
            new StatusDecision(SessionStatus.Waiting, WaitingReason.Question, "Which store should the session cache use?"),
            decision);
    }

    [Fact]
    public void Decide_QuietWithQuestionPastStuckAfter_StaysWaiting()
    {
        var screen = new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Input, "Press Enter to continue");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromHours(2), screen), Thresholds);

        Assert.Equal(SessionStatus.Waiting, decision.Status);
    }

    [Fact]
    public void Decide_QuietBusyScreenBeforeStuckAfter_IsRunning()
    {
        var screen = new ScreenVerdict(ScreenKind.Busy, Detail: "✻ Thinking… (12s · esc to interrupt)");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(119), screen), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Running), decision);
    }

    [Fact]
    public void Decide_QuietBusyScreenPastStuckAfter_IsStuckWithBusyLine()
    {
        var screen = new ScreenVerdict(ScreenKind.Busy, Detail: "✻ Thinking… (12s · esc to interrupt)");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(120), screen), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Stuck, Detail: "✻ Thinking… (12s · esc to interrupt)"), decision);
    }

    [Fact]
    public void Decide_IdleScreenLongQuiet_IsIdle()
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromHours(1), new ScreenVerdict(ScreenKind.Idle)), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Idle), decision);
    }

    [Fact]
    public void Decide_UnknownScreenNonShellBeforeStuckAfter_IsIdle()
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(30), new ScreenVerdict(ScreenKind.Unknown), "make"), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Idle), decision);
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData("tail")]
    [InlineData("node")]
    public void Decide_QuietProgramWithoutAgentScreen_StaysIdleForever(string command)
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromHours(3), new ScreenVerdict(ScreenKind.Unknown), command), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Idle), decision);
    }

    [Fact]
    public void Decide_AgentErrorScreen_IsErrorWithTheLine_AndNoExitCode()
    {
        var screen = new ScreenVerdict(ScreenKind.Error, Detail: "● API Error: 500 Mock error 500.");

        var decision = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(10), screen), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Error, Detail: "● API Error: 500 Mock error 500."), decision);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    [InlineData("sh")]
    [InlineData("dash")]
    [InlineData("ksh")]
    [InlineData("tcsh")]
    [InlineData("csh")]
    [InlineData("nu")]
    [InlineData("pwsh")]
    [InlineData("elvish")]
    [InlineData("xonsh")]
    [InlineData("-bash")]
    public void Decide_UnknownScreenInShellPastStuckAfter_IsIdle(string shell)
    {
        var decision = StatusRules.Decide(Quiet(TimeSpan.FromMinutes(30), new ScreenVerdict(ScreenKind.Unknown), shell), Thresholds);

        Assert.Equal(new StatusDecision(SessionStatus.Idle), decision);
    }

    [Fact]
    public void Decide_ShortThresholds_AreHonoured()
    {
        var thresholds = new StatusThresholds(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        var screen = new ScreenVerdict(ScreenKind.Busy, Detail: "• Working (3s • esc to interrupt)");

        var running = StatusRules.Decide(Quiet(TimeSpan.FromMilliseconds(500), screen), thresholds);
        var stuck = StatusRules.Decide(Quiet(TimeSpan.FromSeconds(1.5), screen), thresholds);

        Assert.Equal(SessionStatus.Running, running.Status);
        Assert.Equal(SessionStatus.Stuck, stuck.Status);
    }
}
