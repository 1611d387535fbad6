using Plexus.Host.Agents;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tests.Agents;

public sealed class ResumeCommandTests
{
    private static SessionRecord Record(string? command, AgentKind? agent, string? id) =>
        new("s", "/tmp/tmux-1/default", "/home/me", 0, command, Agent: agent, AgentSessionId: id);

    [Theory]
    [InlineData("claude", "claude --resume 'abc-1'")]
    [InlineData("claude --model opus", "claude --resume 'abc-1' --model opus")]
    [InlineData("CLAUDE_X=1 claude --continue --model 'big one'", "CLAUDE_X=1 claude --resume 'abc-1' --model 'big one'")]
    [InlineData("claude --resume old-id --model x", "claude --resume 'abc-1' --model x")]
    [InlineData("claude -r old-id -c --session-id other --fork-session", "claude --resume 'abc-1'")]
    [InlineData("claude --resume=old-id", "claude --resume 'abc-1'")]
    [InlineData("claude --resume --model x", "claude --resume 'abc-1' --model x")]
    public void Claude_ResumesItsOwnConversation_AndDropsAnyOtherResume(string command, string expected) =>
        Assert.Equal(expected, ResumeCommand.For(Record(command, AgentKind.Claude, "abc-1")));

    [Theory]
    [InlineData("codex", "codex resume 'th-9'")]
    [InlineData("codex --model o3", "codex resume 'th-9' --model o3")]
    [InlineData("codex resume --last", "codex resume 'th-9'")]
    [InlineData("codex resume old", "codex resume 'th-9'")]
    [InlineData("codex exec 'do it'", "codex exec 'do it'")]
    public void Codex_ResumesItsOwnThread_OnlyForTheInteractiveCommand(string command, string expected) =>
        Assert.Equal(expected, ResumeCommand.For(Record(command, AgentKind.Codex, "th-9")));

    [Theory]
    [InlineData("gemini", "gemini --resume 'g-2'")]
    [InlineData("gemini --resume latest -m flash", "gemini --resume 'g-2' -m flash")]
    public void Gemini_ResumesItsOwnSession(string command, string expected) =>
        Assert.Equal(expected, ResumeCommand.For(Record(command, AgentKind.Gemini, "g-2")));

    [Theory]
    [InlineData("claude --continue", AgentKind.Claude, null)]
    [InlineData("claude | tee log", AgentKind.Claude, "abc")]
    [InlineData("bash", null, "abc")]
    [InlineData("bash", AgentKind.Claude, "abc")]
    [InlineData("gemini", AgentKind.Claude, "abc")]
    [InlineData(null, null, null)]
    public void WithoutAnOwnIdForTheAgentTheCommandStarts_TheCommandStaysAsItWas(string? command, AgentKind? agent, string? id) =>
        Assert.Equal(command, ResumeCommand.For(Record(command, agent, id)));

    [Fact]
    public void AnIdIsQuotedForTheShell() =>
        Assert.Equal("claude --resume 'a'\\''b; rm -rf x'", ResumeCommand.For(Record("claude", AgentKind.Claude, "a'b; rm -rf x")));
}
