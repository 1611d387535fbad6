using Plexus.Host.Agents;

namespace Plexus.Host.Tests.Agents;

public sealed class AgentCommandLineTests
{
    [Theory]
    [InlineData("claude", "exec claude")]
    [InlineData("  claude --resume 'a b'", "  exec claude --resume 'a b'")]
    [InlineData("FOO=1 BAR='a b' gemini", "FOO=1 BAR='a b' exec gemini")]
    [InlineData("env A=1 codex", "exec env A=1 codex")]
    [InlineData("~/bin/claude", "exec ~/bin/claude")]
    [InlineData("$EDITOR notes.md", "exec $EDITOR notes.md")]
    [InlineData("'cd' x", "exec 'cd' x")]
    public void WithExec_PutsExecBeforeTheProgramOfALoneCommand(string command, string expected) =>
        Assert.Equal(expected, AgentCommandLine.WithExec(command));

    [Theory]
    [InlineData("sleep 1; claude")]
    [InlineData("claude && echo done")]
    [InlineData("make | tee log")]
    [InlineData("claude > log")]
    [InlineData("claude &")]
    [InlineData("claude # why")]
    [InlineData("(cd x && claude)")]
    [InlineData("{ claude; }")]
    [InlineData("! claude")]
    [InlineData("cd /tmp")]
    [InlineData("exec claude")]
    [InlineData("source ~/.venv/bin/activate")]
    [InlineData("while true; do claude; done")]
    [InlineData("FOO=1")]
    [InlineData("claude 'open")]
    [InlineData("echo $(date)")]
    [InlineData("")]
    public void WithExec_LeavesAnythingElseAsItIs(string command) =>
        Assert.Equal(command, AgentCommandLine.WithExec(command));

    [Theory]
    [InlineData("plexus-no-such-command --flag", "plexus-no-such-command")]
    [InlineData("FOO=1 'my tool' x", "my tool")]
    [InlineData("~/bin/claude", "~/bin/claude")]
    [InlineData("sleep 1; claude", null)]
    [InlineData("cd /tmp", null)]
    [InlineData("", null)]
    public void ProgramOf_NamesTheProgramOfALoneCommandOnly(string command, string? expected) =>
        Assert.Equal(expected, AgentCommandLine.ProgramOf(command));
}
