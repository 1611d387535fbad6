using System.Text.Json.Nodes;
using Plexus.Host.Agents;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;
using Plexus.Host.Sessions;

namespace Plexus.Host.IntegrationTests.Agents;

/// <summary>
/// Sessions whose command starts an agent get Plexus's hooks: fake <c>claude</c> and <c>gemini</c> scripts first on
/// the host's PATH record what they were started with and run the hook Plexus gave them, as the real agents do.
/// </summary>
public sealed class AgentLaunchTests : IAsyncLifetime
{
    private readonly TmuxSandbox tmux = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), $"plexus-launch-{Guid.NewGuid():N}");
    private HostProcess host = null!;

    private string Bin => Path.Combine(root, "bin");

    // Below the home folder, where (for root) Gemini CLI accepts the settings layer; below /tmp it never would.
    private readonly string state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", $"plexus-launch-{Guid.NewGuid():N}");

    private string State => state;

    private string Log => Path.Combine(root, "log");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Bin);

        // The fake claude runs the SessionStart hook from the --settings file, as Claude Code would at startup.
        WriteScript("claude", $$"""
            printf '%s\n' "$@" > '{{Log}}'
            settings=; previous=
            for argument in "$@"; do [ "$previous" = --settings ] && settings=$argument; previous=$argument; done
            hook=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["hooks"]["SessionStart"][0]["hooks"][0]["command"])' "$settings")
            printf '{"session_id":"conversation-1",\n"hook_event_name":"SessionStart"}' | sh -c "$hook"
            exec sleep 300
            """);
        WriteScript("gemini", $"""
            printf '%s\n' "$GEMINI_CLI_SYSTEM_DEFAULTS_PATH $*" >> '{Log}'
            """);
        host = await HostProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["XDG_STATE_HOME"] = State,
            },
            "--tmux-socket-name",
            tmux.SocketName);
        await host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
        Directory.Delete(root, recursive: true);
        Directory.Delete(State, recursive: true);
    }

    [Fact]
    public async Task Claude_StartsWithPlexusSettings_KeepsTheUsersArguments_AndItsHookReachesThePane()
    {
        var session = await host.CreateAsync("claude-here", "CLAUDE_X=1 claude --resume 'two words' \"$HOME\" x;y");

        var option = await WaitForAsync(() => PaneOption("claude-here", HookCommand.Option), value => value.Length > 0);
        var settings = Path.Combine(State, "plexus", "claude-hooks.json");
        var argv = await File.ReadAllLinesAsync(Log);
        Assert.Equal(["--settings", settings, "--resume", "two words", Environment.GetEnvironmentVariable("HOME")!, "x"], argv);
        Assert.Equal("claude SessionStart {\"session_id\":\"conversation-1\",\"hook_event_name\":\"SessionStart\"}", option);
        var hooks = JsonNode.Parse(await File.ReadAllTextAsync(settings))!["hooks"]!.AsObject();
        Assert.Contains("PermissionRequest", hooks.Select(pair => pair.Key));
        Assert.Equal("claude-here", session.Name);
    }

    [Fact]
    public async Task Gemini_GetsItsSettingsLayer_WhereGeminiReadsIt_AgainWhenRespawnedWithoutACommand()
    {
        await host.CreateAsync("gemini-here", "gemini --model 'flash lite'");
        await WaitForAsync(() => File.Exists(Log) ? File.ReadAllLines(Log).Length : 0, lines => lines == 1);
        await WaitForAsync(() => tmux.Run("display-message", "-p", "-t", "=gemini-here:", "#{pane_dead}").Output.Trim(), dead => dead == "1");

        await host.CallAsync<Session>("sessions/respawn", new RespawnParams("gemini-here"));

        await WaitForAsync(() => File.ReadAllLines(Log).Length, lines => lines == 2);
        var layer = Path.Combine(State, "plexus", "gemini-system-defaults.json");
        var expected = (GeminiFileTrust.Trusts(layer) ? layer : "") + " --model flash lite";
        Assert.Equal([expected, expected], await File.ReadAllLinesAsync(Log));
        Assert.Contains("\"AfterAgent\"", await File.ReadAllTextAsync(layer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherCommands_StartUnchanged()
    {
        await host.CreateAsync("plain", "sleep 300");

        Assert.Equal("sleep 300", PaneOption("plain", SessionCommands.UserCommandOption));
        // The state folder holds the session records now; no hook settings file is written for a plain command.
        Assert.Empty(Directory.Exists(Path.Combine(State, "plexus")) ? Directory.GetFiles(Path.Combine(State, "plexus")) : []);
    }

    private string PaneOption(string session, string option) =>
        tmux.Run("show-options", "-p", "-v", "-q", "-t", $"={session}:", option).Output.TrimEnd('\n');

    private void WriteScript(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var value = read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = read();
        }

        return done(value) ? value : throw new TimeoutException($"still {value} after 10 s");
    }
}
