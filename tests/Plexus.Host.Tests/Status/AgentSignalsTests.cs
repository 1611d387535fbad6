using Plexus.Host.Protocol;
using Plexus.Host.Status;

namespace Plexus.Host.Tests.Status;

public sealed class AgentSignalsTests
{
    [Fact]
    public void ParseHook_CompletePayload_ReadsNestedCommandAndSession()
    {
        var hook = AgentSignals.ParseHook("""codex PermissionRequest {"session_id":"01a22c79-3daf","tool_name":"Bash","tool_input":{"command":"touch /tmp/x"}}""");

        Assert.Equal(new HookEvent(AgentKind.Codex, "PermissionRequest", ToolName: "Bash", Command: "touch /tmp/x", SessionId: "01a22c79-3daf"), hook);
    }

    [Fact]
    public void ParseHook_PayloadCutAt3000Bytes_StillReadsTheFields()
    {
        var value = """claude PermissionRequest {"session_id":"abc","tool_name":"Bash","tool_input":{"command":"echo \"hi\" && make all""" + new string('x', 50);

        var hook = AgentSignals.ParseHook(value)!;

        Assert.Equal("Bash", hook.ToolName);
        Assert.Equal("abc", hook.SessionId);
        Assert.StartsWith("echo \"hi\" && make all", hook.Command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("vim Stop {}")]
    [InlineData("claude")]
    public void ParseHook_EmptyOrForeign_IsNull(string value)
    {
        Assert.Null(AgentSignals.ParseHook(value));
    }

    [Theory]
    [InlineData("""claude UserPromptSubmit {"prompt":"hi"}""", SessionStatus.Running, null)]
    [InlineData("""claude PreToolUse {"tool_name":"AskUserQuestion"}""", SessionStatus.Waiting, WaitingReason.Question)]
    [InlineData("""claude Notification {"notification_type":"idle_prompt"}""", SessionStatus.Idle, null)]
    [InlineData("""claude Notification {"notification_type":"elicitation_dialog","message":"Pick one"}""", SessionStatus.Waiting, WaitingReason.Question)]
    [InlineData("""claude Stop {}""", SessionStatus.Idle, null)]
    [InlineData("""codex PreToolUse {"tool_name":"request_user_input"}""", SessionStatus.Waiting, WaitingReason.Question)]
    [InlineData("""codex PreToolUse {"tool_name":"Bash"}""", SessionStatus.Running, null)]
    [InlineData("""codex Interrupt {}""", SessionStatus.Idle, null)]
    [InlineData("""gemini BeforeTool {"tool_name":"ask_user"}""", SessionStatus.Waiting, WaitingReason.Question)]
    [InlineData("""gemini AfterAgent {}""", SessionStatus.Idle, null)]
    [InlineData("""gemini SessionEnd {"reason":"exit"}""", SessionStatus.Ended, null)]
    [InlineData("""claude SessionStart {"session_id":"c","source":"startup"}""", SessionStatus.Idle, null)]
    [InlineData("""gemini SessionStart {"session_id":"g","source":"resume"}""", SessionStatus.Idle, null)]
    public void HookVerdict_MapsEachAgentsEvents(string value, SessionStatus status, WaitingReason? reason)
    {
        var verdict = AgentSignals.HookVerdict(AgentSignals.ParseHook(value)!)!;

        Assert.Equal((status, reason), (verdict.Status, verdict.Reason));
    }

    [Fact]
    public void HookVerdict_SessionStartAfterACompaction_SaysNothing() =>
        Assert.Null(AgentSignals.HookVerdict(AgentSignals.ParseHook("""claude SessionStart {"session_id":"c","source":"compact"}""")!));

    [Theory]
    [InlineData("⠙ project", AgentKind.Codex, SessionStatus.Running)]
    [InlineData("[ ! ] Action Required | project", AgentKind.Codex, SessionStatus.Waiting)]
    [InlineData("✋  Action Required (project)          ", AgentKind.Gemini, SessionStatus.Waiting)]
    [InlineData("✦  Working… (project)                 ", AgentKind.Gemini, SessionStatus.Running)]
    [InlineData("◇  Ready (project)                    ", AgentKind.Gemini, SessionStatus.Idle)]
    public void TitleVerdict_ReadsCodexAndGeminiTitles(string title, AgentKind agent, SessionStatus status)
    {
        var signal = AgentSignals.TitleVerdict(title)!.Value;

        Assert.Equal((agent, status), (signal.Agent, signal.Verdict!.Status));
    }

    [Fact]
    public void TitleVerdict_ClaudeTitle_NamesTheAgentOnly()
    {
        var signal = AgentSignals.TitleVerdict("✳ Claude Code")!.Value;

        Assert.Equal(AgentKind.Claude, signal.Agent);
        Assert.Null(signal.Verdict);
    }

    [Theory]
    [InlineData("project")]
    [InlineData("bash")]
    [InlineData("")]
    public void TitleVerdict_PlainTitle_SaysNothing(string title)
    {
        Assert.Null(AgentSignals.TitleVerdict(title));
    }
}
