using System.Text.Json.Nodes;
using Plexus.Host.Agents;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests.Agents;

/// <summary>Setting up hooks in the user's own settings, through the real host with HOME in a throw-away folder.</summary>
public sealed class HookSetupTests : IAsyncLifetime
{
    private const string UserSettings = """
        {
          "model": "opus",
          "hooks": {
            "Stop": [
              {
                "matcher": "",
                "hooks": [
                  {
                    "type": "command",
                    "command": "notify-send done"
                  }
                ]
              }
            ]
          }
        }

        """;

    private readonly TmuxSandbox tmux = new();
    private readonly string home = Path.Combine(Path.GetTempPath(), $"plexus-hooksetup-{Guid.NewGuid():N}");
    private HostProcess host = null!;

    private string ClaudeFile => Path.Combine(home, ".claude", "settings.json");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(home, ".claude"));
        host = await HostProcess.StartAsync(
            new Dictionary<string, string> { ["HOME"] = home, ["CLAUDE_CONFIG_DIR"] = string.Empty, ["GEMINI_CLI_HOME"] = string.Empty },
            "--tmux-socket-name",
            tmux.SocketName);
        await host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task InstallThenUninstall_KeepsTheUsersHook_BacksUpEachTime_AndEndsWhereItStarted()
    {
        await File.WriteAllTextAsync(ClaudeFile, UserSettings);

        var preview = await host.CallAsync<HooksPreview>("agents/previewHooks", new { agent = "claude", change = "install" });
        Assert.Equal(ClaudeFile, preview.File);
        Assert.Equal(UserSettings, preview.Current);
        Assert.True(preview.Changed);
        Assert.Equal(UserSettings, await File.ReadAllTextAsync(ClaudeFile));

        var installed = await host.CallAsync<ApplyHooksResult>("agents/applyHooks", new { agent = "claude", change = "install", expected = preview.Current });

        Assert.True(installed.Changed);
        Assert.Equal(preview.Proposed, await File.ReadAllTextAsync(ClaudeFile));
        Assert.Matches(@"settings\.json\.plexus-backup-\d{14}$", installed.Backup);
        Assert.Equal(UserSettings, await File.ReadAllTextAsync(installed.Backup!));
        var stop = JsonNode.Parse(await File.ReadAllTextAsync(ClaudeFile))!["hooks"]!["Stop"]!.AsArray();
        Assert.Equal(["notify-send done", HookCommand.For(AgentKind.Claude, "Stop")], stop.Select(group => (string?)group!["hooks"]![0]!["command"]));

        var again = await host.CallAsync<HooksPreview>("agents/previewHooks", new PreviewHooksParams(AgentKind.Claude, HookChange.Install));
        Assert.False(again.Changed);

        var removal = await host.CallAsync<HooksPreview>("agents/previewHooks", new PreviewHooksParams(AgentKind.Claude, HookChange.Uninstall));
        var removed = await host.CallAsync<ApplyHooksResult>("agents/applyHooks", new ApplyHooksParams(AgentKind.Claude, HookChange.Uninstall, removal.Current));

        Assert.Equal(UserSettings, await File.ReadAllTextAsync(ClaudeFile));
        Assert.NotEqual(installed.Backup, removed.Backup);
        Assert.Equal(preview.Proposed, await File.ReadAllTextAsync(removed.Backup!));
    }

    [Fact]
    public async Task Apply_AfterTheFileChanged_IsRefusedWithSettingsChanged()
    {
        var preview = await host.CallAsync<HooksPreview>("agents/previewHooks", new PreviewHooksParams(AgentKind.Gemini, HookChange.Install));
        Assert.Null(preview.Current);
        Assert.Equal(Path.Combine(home, ".gemini", "settings.json"), preview.File);
        Directory.CreateDirectory(Path.Combine(home, ".gemini"));
        await File.WriteAllTextAsync(preview.File, "{}");

        var code = await host.ErrorCodeOfAsync("agents/applyHooks", new ApplyHooksParams(AgentKind.Gemini, HookChange.Install));

        Assert.Equal(ErrorCodes.SettingsChanged, code);
        Assert.Equal("{}", await File.ReadAllTextAsync(preview.File));
    }

    [Fact]
    public async Task CommentsCodexAndMissingParams_AreRefusedWithTheirCodes()
    {
        await File.WriteAllTextAsync(ClaudeFile, "{ // mine\n}");

        Assert.Equal(ErrorCodes.SettingsNotEditable, await host.ErrorCodeOfAsync("agents/previewHooks", new { agent = "claude", change = "install" }));
        Assert.Equal(ErrorCodes.InvalidParams, await host.ErrorCodeOfAsync("agents/previewHooks", new { agent = "codex", change = "install" }));
        Assert.Equal(ErrorCodes.InvalidParams, await host.ErrorCodeOfAsync("agents/previewHooks", new { change = "install" }));
        Assert.Equal("{ // mine\n}", await File.ReadAllTextAsync(ClaudeFile));
    }
}
