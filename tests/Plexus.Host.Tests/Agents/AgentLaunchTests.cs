using System.Text.Json.Nodes;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tests.Agents;

public sealed class AgentLaunchTests : IDisposable
{
    private readonly string state = Path.Combine(Path.GetTempPath(), $"plexus-launch-{Guid.NewGuid():N}");
    private readonly AgentLaunch launch;
    private readonly AgentHookFiles files;

    public AgentLaunchTests()
    {
        files = new AgentHookFiles(state);
        launch = new AgentLaunch(files);
    }

    public void Dispose()
    {
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Theory]
    [InlineData("claude", AgentKind.Claude)]
    [InlineData("  claude --resume", AgentKind.Claude)]
    [InlineData("/usr/local/bin/claude -p 'hi'", AgentKind.Claude)]
    [InlineData("~/bin/codex --no-daemon", AgentKind.Codex)]
    [InlineData("FOO=1 BAR='a b' gemini", AgentKind.Gemini)]
    [InlineData("env CLAUDE_CONFIG_DIR=/x claude", AgentKind.Claude)]
    [InlineData("PATH=$HOME/bin:$PATH env A=1 kiro-cli chat", AgentKind.Kiro)]
    [InlineData("'claude' --x", AgentKind.Claude)]
    [InlineData("claude;echo done", AgentKind.Claude)]
    public void Find_RecognisesTheProgramWord(string command, AgentKind agent) =>
        Assert.Equal(agent, AgentCommandLine.Find(command)?.Agent);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bash")]
    [InlineData("claude-wrapper")]
    [InlineData("echo claude")]
    [InlineData("$AGENT --x")]
    [InlineData("cla$X")]
    [InlineData("(claude)")]
    [InlineData("env -i claude")]
    [InlineData("'FOO=1' claude")]
    [InlineData("'claude")]
    [InlineData("# claude")]
    public void Find_LeavesOtherCommandsAlone(string? command) =>
        Assert.Null(AgentCommandLine.Find(command));

    [Theory]
    [InlineData("claude", "claude --settings {0}")]
    [InlineData("claude --resume 'a b' \"$X\" ; echo", "claude --settings {0} --resume 'a b' \"$X\" ; echo")]
    [InlineData("A=1 env B='x y' /opt/claude -p", "A=1 env B='x y' /opt/claude --settings {0} -p")]
    [InlineData("claude&& echo", "claude --settings {0}&& echo")]
    public void Claude_GetsSettingsRightAfterTheProgramWord_AndKeepsTheUsersArguments(string command, string expected)
    {
        var plan = launch.Plan(command);

        Assert.Equal(AgentKind.Claude, plan.Agent);
        Assert.Equal(string.Format(null, expected, AgentCommandLine.ShellQuote(files.ClaudeSettingsPath)), plan.Command);
        Assert.Empty(plan.Environment);
    }

    [Fact]
    public void Claude_PlannedTwice_GetsOneSettings()
    {
        var once = launch.Plan("claude --resume").Command;

        Assert.Equal(once, launch.Plan(once).Command);
    }

    [Fact]
    public void Claude_SettingsFile_HoldsEveryEventsHook()
    {
        launch.Plan("claude");

        var hooks = JsonNode.Parse(File.ReadAllText(files.ClaudeSettingsPath))!["hooks"]!.AsObject();
        Assert.Equal(AgentHookFiles.ClaudeEvents, hooks.Select(pair => pair.Key));
        Assert.All(hooks, pair => Assert.Equal(
            HookCommand.For(AgentKind.Claude, pair.Key),
            (string?)pair.Value![0]!["hooks"]![0]!["command"]));
    }

    [Fact]
    public void SettingsFile_UnchangedContent_IsNotRewritten()
    {
        launch.Plan("claude");
        var written = File.GetLastWriteTimeUtc(files.ClaudeSettingsPath);
        File.SetLastWriteTimeUtc(files.ClaudeSettingsPath, written.AddHours(-1));

        launch.Plan("claude");

        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(files.ClaudeSettingsPath));
        Assert.Single(Directory.GetFiles(state));
    }

    [Fact]
    public void SettingsFile_IsPrivateToTheUser_AsGeminiRequires()
    {
        launch.Plan("gemini");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.GeminiDefaultsPath));
    }

    [Fact]
    public void SettingsFile_WithOtherContent_IsReplaced()
    {
        Directory.CreateDirectory(state);
        File.WriteAllText(files.ClaudeSettingsPath, "{\"hooks\": {}}");

        launch.Plan("claude");

        Assert.Equal(AgentHookFiles.ClaudeSettings(), File.ReadAllText(files.ClaudeSettingsPath));
    }

    [Fact]
    public void Gemini_GetsTheSystemDefaultsLayer_AndAnUnchangedCommand()
    {
        var plan = new AgentLaunch(files, geminiTrusts: _ => true).Plan("gemini -m flash");

        Assert.Equal("gemini -m flash", plan.Command);
        Assert.Equal(files.GeminiDefaultsPath, plan.Environment[AgentLaunch.GeminiDefaultsVariable]);
        var hooks = JsonNode.Parse(File.ReadAllText(files.GeminiDefaultsPath))!["hooks"]!.AsObject();
        Assert.Equal(10_000, (int)hooks["AfterAgent"]![0]!["hooks"]![0]!["timeout"]!);
    }

    [Fact]
    public void Gemini_StartsWithoutTheLayer_WhereGeminiWouldSkipIt()
    {
        string? judged = null;
        var plan = new AgentLaunch(files, geminiTrusts: file => { judged = file; return false; }).Plan("gemini -m flash");

        Assert.Equal(("gemini -m flash", AgentKind.Gemini), (plan.Command, plan.Agent));
        Assert.Empty(plan.Environment);
        Assert.Equal(files.GeminiDefaultsPath, judged);
    }

    [Theory]
    [InlineData("codex --no-daemon", AgentKind.Codex)]
    [InlineData("kiro-cli chat", AgentKind.Kiro)]
    public void CodexAndKiro_StartUnchanged(string command, AgentKind agent)
    {
        var plan = launch.Plan(command);

        Assert.Equal((command, agent), (plan.Command, plan.Agent));
        Assert.Empty(plan.Environment);
        Assert.False(Directory.Exists(state));
    }

    [Fact]
    public void UnwritableStateFolder_StartsTheAgentWithoutHooks()
    {
        var blocked = new AgentLaunch(new AgentHookFiles("/proc/plexus-cannot-write-here"));

        var plan = blocked.Plan("claude --x");

        Assert.Equal(("claude --x", AgentKind.Claude), (plan.Command, plan.Agent));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("/a b/$HOME", "'/a b/$HOME'")]
    public void ShellQuote_MakesOneLiteralWord(string value, string quoted) =>
        Assert.Equal(quoted, AgentCommandLine.ShellQuote(value));
}
