using Plexus.Host.Protocol;
using Plexus.Host.Status;
using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Status;

/// <summary>How hooks and titles rank against output and the screen, driven with explicit times: no processes, no waiting.</summary>
public sealed class AgentStatusEngineTests
{
    private const string PermissionBash =
        """claude PermissionRequest {"session_id":"b80b469e-1","hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"rm -rf build","description":"Clean"}}""";

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);
    private readonly StatusEngine engine = new() { Thresholds = new StatusThresholds(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(120)) };

    [Fact]
    public void PermissionHook_IsWaitingWithToolAndCommand_AtOnce()
    {
        engine.Observe([Row(Start, hook: PermissionBash)], Start);

        var current = engine.Current("$1")!;
        Assert.Equal(new StatusDecision(SessionStatus.Waiting, WaitingReason.Permission, "Bash: rm -rf build"), current.Decision);
        Assert.Equal(AgentKind.Claude, current.Agent);
        Assert.Equal("b80b469e-1", current.ConversationId);
    }

    [Fact]
    public void BlinkingWhileWaiting_StaysWaiting_AndReadsTheScreenAtMostOncePerSecond()
    {
        engine.Observe([Row(Start, hook: PermissionBash)], Start);
        var first = Start + TimeSpan.FromSeconds(2);
        engine.Observe([Row(first, hook: PermissionBash)], first);
        Assert.Single(engine.DueForCapture(first));
        engine.ApplyScreen("$1", Waiting(), first);

        // The "●" blinks on: output again half a second later, but the last look is too recent.
        var blink = first + TimeSpan.FromSeconds(1);
        engine.Observe([Row(blink, hook: PermissionBash)], blink - TimeSpan.FromMilliseconds(500));

        Assert.Equal(SessionStatus.Waiting, engine.Current("$1")!.Decision.Status);
        Assert.Empty(engine.DueForCapture(blink - TimeSpan.FromMilliseconds(500)));
        Assert.Equal(first + TimeSpan.FromSeconds(1), engine.NextDeadline(blink - TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void WaitingWithNothingPrinted_NeverReadsTheScreenAgain()
    {
        engine.Observe([Row(Start, hook: PermissionBash)], Start);
        var looked = Start + TimeSpan.FromSeconds(2);
        engine.ApplyScreen("$1", Waiting(), looked);
        var later = Start + TimeSpan.FromMinutes(10);

        engine.Observe([Row(Start, hook: PermissionBash)], later);

        Assert.Empty(engine.DueForCapture(later));
        Assert.Null(engine.NextDeadline(later));
        Assert.Equal(SessionStatus.Waiting, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void AnsweredInTerminal_LeavesWaiting_AfterAScreenWithoutThePrompt()
    {
        engine.Observe([Row(Start, hook: PermissionBash)], Start);
        var answered = Start + TimeSpan.FromSeconds(5);
        engine.Observe([Row(answered, hook: PermissionBash)], answered);
        Assert.Single(engine.DueForCapture(answered));

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Busy, Detail: "esc to interrupt"), answered);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void ScreenReadBeforeThePromptIsDrawn_DoesNotCountAsAnswered()
    {
        engine.Observe([Row(Start, hook: PermissionBash)], Start);

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Busy), Start + TimeSpan.FromMilliseconds(200));

        Assert.Equal(SessionStatus.Waiting, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void EscWithNoHook_GoesIdle_OnceQuietAndTheScreenShowsTheInput()
    {
        const string prompt = """claude UserPromptSubmit {"session_id":"s","prompt":"Stream slowly"}""";
        engine.Observe([Row(Start, hook: prompt)], Start);
        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
        var quiet = Start + TimeSpan.FromSeconds(5);

        engine.Observe([Row(Start, hook: prompt)], quiet);
        Assert.Single(engine.DueForCapture(quiet));
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Idle, Agent: "claude"), quiet);

        Assert.Equal(SessionStatus.Idle, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void StopHook_IsIdle_ThoughOutputGoesOn()
    {
        engine.Observe([Row(Start, hook: """gemini AfterAgent {"session_id":"g"}""", command: "node")], Start);

        Assert.Equal(SessionStatus.Idle, engine.Current("$1")!.Decision.Status);
        Assert.Equal(AgentKind.Gemini, engine.Current("$1")!.Agent);
    }

    [Fact]
    public void IdleHook_WithAnApiErrorOnScreen_IsError()
    {
        engine.Observe([Row(Start, hook: """gemini AfterAgent {"session_id":"g"}""", command: "node")], Start);
        var quiet = Start + TimeSpan.FromSeconds(5);

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Error, Detail: "✕ [API Error: 400]"), quiet);

        Assert.Equal(new StatusDecision(SessionStatus.Error, Detail: "✕ [API Error: 400]"), engine.Current("$1")!.Decision);
    }

    [Fact]
    public void IdleHook_ReadsTheScreenOnce_ASecondLater_ToCatchAFailedTurn()
    {
        engine.Observe([Row(Start, hook: """gemini AfterAgent {"session_id":"g"}""", command: "node")], Start);
        var drawn = Start + TimeSpan.FromSeconds(1);

        Assert.Equal(drawn, engine.NextDeadline(Start));
        Assert.Single(engine.DueForCapture(drawn));
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Idle), drawn);
        Assert.Empty(engine.DueForCapture(drawn + TimeSpan.FromMinutes(5)));
        Assert.Equal(SessionStatus.Idle, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void AFailedTurn_StaysError_WhenTheAgentRedrawsAfterwards()
    {
        const string afterAgent = """gemini AfterAgent {"session_id":"g"}""";
        engine.Observe([Row(Start, hook: afterAgent, command: "node")], Start);
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Error, Detail: "✕ [API Error: 400]"), Start + TimeSpan.FromSeconds(1));
        var redraw = Start + TimeSpan.FromSeconds(2);

        engine.Observe([Row(redraw, hook: afterAgent, command: "node")], redraw);

        Assert.Equal(SessionStatus.Error, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void StopFailureHook_IsErrorWithTheMessage_AndNoExitCode()
    {
        engine.Observe([Row(Start, hook: """claude StopFailure {"session_id":"s","error":"server_error"}""")], Start);

        Assert.Equal(new StatusDecision(SessionStatus.Error, Detail: "server_error"), engine.Current("$1")!.Decision);
    }

    [Fact]
    public void PermissionNotificationAfterAQuestion_StaysAQuestion()
    {
        const string question = """claude PermissionRequest {"session_id":"s","tool_name":"AskUserQuestion","tool_input":{"questions":[{"question":"Which color?"}]}}""";
        engine.Observe([Row(Start, hook: question)], Start);
        var later = Start + TimeSpan.FromSeconds(6);

        engine.Observe([Row(Start, hook: """claude Notification {"session_id":"s","notification_type":"permission_prompt","message":"Claude needs your permission"}""")], later);

        Assert.Equal(new StatusDecision(SessionStatus.Waiting, WaitingReason.Question, "Which color?"), engine.Current("$1")!.Decision);
    }

    [Fact]
    public void SessionEndHook_WithThePaneAlive_LeavesItToThePane()
    {
        engine.Observe([Row(Start, hook: """claude SessionEnd {"session_id":"s","reason":"other"}""")], Start);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void CodexActionRequiredTitle_IsWaiting_EvenWhileOutputGoesOn()
    {
        engine.Observe([Row(Start, title: "[ . ] Action Required | project", command: "codex")], Start);

        Assert.Equal(new StatusDecision(SessionStatus.Waiting, WaitingReason.Permission), engine.Current("$1")!.Decision);
        Assert.Equal(AgentKind.Codex, engine.Current("$1")!.Agent);
        Assert.Single(engine.DueForCapture(Start));
    }

    [Fact]
    public void ActionRequiredTitle_TakesTheReasonFromTheScreen()
    {
        engine.Observe([Row(Start, title: "[ ! ] Action Required | project", command: "codex")], Start);

        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Waiting, WaitingReason.Question, "Which color should the button be?"), Start);

        Assert.Equal(new StatusDecision(SessionStatus.Waiting, WaitingReason.Question, "Which color should the button be?"), engine.Current("$1")!.Decision);
    }

    [Fact]
    public void SpinnerTitle_IsRunning_EvenWhenQuietWithAnIdleLookingScreen()
    {
        engine.Observe([Row(Start, title: "⠙ project", command: "codex")], Start);
        var quiet = Start + TimeSpan.FromSeconds(30);

        engine.Observe([Row(Start, title: "⠹ project", command: "codex")], quiet);
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Idle, Agent: "codex"), quiet);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void GeminiReadyTitle_IsIdle_ButAHookOutranksIt()
    {
        const string title = "◇  Ready (project)                         ";
        engine.Observe([Row(Start, title: title, command: "node")], Start);
        Assert.Equal(SessionStatus.Idle, engine.Current("$1")!.Decision.Status);

        engine.Observe([Row(Start, title: title, command: "node", hook: """gemini Notification {"notification_type":"ToolPermission","message":"Tool Confirm Shell Command requires execution","details":{"command":"touch x"}}""")], Start);

        Assert.Equal(new StatusDecision(SessionStatus.Waiting, WaitingReason.Permission, "Shell: touch x"), engine.Current("$1")!.Decision);
    }

    [Fact]
    public void RunningHook_DoesNotRule_OverATitleThatWaits()
    {
        engine.Observe([Row(Start, title: "✋  Action Required (project)", command: "node", hook: """gemini BeforeTool {"tool_name":"run_shell_command"}""")], Start);

        Assert.Equal(SessionStatus.Waiting, engine.Current("$1")!.Decision.Status);
    }

    [Fact]
    public void HookAndOutputInOneSnapshot_BothCount()
    {
        engine.Observe([Row(Start)], Start);
        engine.ApplyScreen("$1", new ScreenVerdict(ScreenKind.Idle, Agent: "claude"), Start + TimeSpan.FromSeconds(5));
        var later = Start + TimeSpan.FromSeconds(60);

        engine.Observe([Row(later, hook: """claude PreToolUse {"tool_name":"Bash"}""")], later);

        Assert.Equal(SessionStatus.Running, engine.Current("$1")!.Decision.Status);
        Assert.Equal(later + TimeSpan.FromSeconds(1 + 3), engine.NextDeadline(later));
    }

    private static ScreenVerdict Waiting() =>
        new(ScreenKind.Waiting, WaitingReason.Permission, "Do you want to proceed? — rm -rf build", "claude");

    private static TmuxSessionRow Row(DateTimeOffset activity, string hook = "", string title = "✳ Claude Code", string command = "claude") =>
        new("$1", "agent", 1, 0, Start.ToUnixTimeSeconds(), "%1", 4242, false, null, null, command, activity.ToUnixTimeSeconds(), title, hook, "/tmp");
}
