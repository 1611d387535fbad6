using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// Sessions come back after their tmux server is gone: a new host lists the records as not running, and a restore
/// starts each with its name, folder and command, an agent resuming its own conversation. The fake <c>claude</c> first
/// on the host's PATH reports its conversation id through the SessionStart hook Plexus gave it, as Claude Code does:
/// a new id when started fresh, the one it was given with <c>--resume</c> (and <c>source: resume</c>) otherwise.
/// </summary>
public sealed class RestoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TmuxSandbox tmux = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), $"plexus-restore-{Guid.NewGuid():N}");
    private readonly List<HostProcess> hosts = [];

    private string Bin => Path.Combine(root, "bin");

    private string State => Path.Combine(root, "state");

    private string RecordsFolder => Path.Combine(State, "plexus", "sessions");

    private string ClaudeLog => Path.Combine(root, "claude.log");

    private string CodexLog => Path.Combine(root, "codex.log");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Bin);
        var claude = Path.Combine(Bin, "claude");
        await File.WriteAllTextAsync(claude, $$"""
            #!/bin/sh
            printf '%s\n' "$*" >> '{{ClaudeLog}}'
            settings=; resume=; previous=
            for argument in "$@"; do
              [ "$previous" = --settings ] && settings=$argument
              [ "$previous" = --resume ] && resume=$argument
              previous=$argument
            done
            if [ -n "$resume" ]; then id=$resume; source=resume; else id=conversation-$$; source=startup; fi
            hook=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["hooks"]["SessionStart"][0]["hooks"][0]["command"])' "$settings")
            printf '{"session_id":"%s","hook_event_name":"SessionStart","source":"%s"}' "$id" "$source" | sh -c "$hook"
            echo "conversation $id ($source)"
            exec sleep 300
            """);
        File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // Like Codex CLI 0.169: no hooks, but its conversation's rollout file stays open while it runs, named after
        // the thread id that `codex resume` takes.
        var codex = Path.Combine(Bin, "codex");
        await File.WriteAllTextAsync(codex, $$"""
            #!/bin/bash
            printf '%s\n' "$*" >> '{{CodexLog}}'
            if [ "$1" = resume ]; then id=$2; else id=01a22cd0-8905-7513-aaec-9765aa337dc9; fi
            sessions='{{root}}/codex-home/sessions/2026/11/30'
            mkdir -p "$sessions"
            exec 3>>"$sessions/rollout-2026-11-30T14-16-33-$id.jsonl"
            echo "conversation $id"
            # tmux names a pane's program after its argv[0], which for a script is the shell's: be "codex", keeping fd 3.
            exec -a codex sleep 300
            """);
        File.SetUnixFileMode(codex, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        tmux.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task AfterKillServer_ANewHostListsTheSessionsNotRunning_AndRestoreBringsThemBack_TheAgentInItsOwnConversation()
    {
        var first = await StartHostAsync();
        var plain = new[] { "sleep 301", "sleep 302", "sleep 303", "sleep 304" };
        for (var i = 0; i < plain.Length; i++)
        {
            await first.CallAsync<Session>("sessions/create", new CreateSessionParams($"plain-{i}", plain[i], Folder($"p{i}"), Env: i == 0 ? new Dictionary<string, string> { ["MY_SETTING"] = "on" } : null));
        }

        await first.CallAsync<Session>("sessions/create", new CreateSessionParams("agent", "claude --model 'big one'", Folder("agent")));
        var agent = await first.Notifications.WaitForSessionsAsync(sessions => sessions.Any(session => session.Name == "agent" && session.AgentSessionId is not null), Deadline, "the agent's conversation id");
        var conversation = agent.Single(session => session.Name == "agent").AgentSessionId!;
        await WaitForAsync(() => File.ReadAllText(RecordsFile()).Contains(conversation, StringComparison.Ordinal), "the conversation id in the records file");

        tmux.Run("kill-server");
        var second = await StartHostAsync();
        var notRunning = (await second.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions;

        Assert.Equal(["plain-0", "plain-1", "plain-2", "plain-3", "agent"], notRunning.Select(record => record.Name));
        Assert.Equal([.. plain, "claude --model 'big one'"], notRunning.Select(record => record.Command));
        Assert.Equal(conversation, notRunning[^1].AgentSessionId);
        Assert.Equal(AgentKind.Claude, notRunning[^1].Agent);
        Assert.Equal("on", notRunning[0].Env!["MY_SETTING"]);
        Assert.Empty(await second.ListAsync());

        foreach (var record in notRunning)
        {
            await second.CallAsync<Session>("sessions/restore", new SessionNameParams(record.Name));
        }

        var restored = await second.Notifications.WaitForSessionsAsync(sessions => sessions.Any(session => session.Name == "agent" && session.AgentSessionId is not null), Deadline, "the restored agent's conversation id");
        Assert.Equal(["plain-0", "plain-1", "plain-2", "plain-3", "agent"], restored.Select(session => session.Name));
        Assert.Equal(notRunning.Select(record => record.Cwd), restored.Select(session => session.Cwd));
        Assert.Equal(plain, plain.Select((_, i) => PaneOption($"plain-{i}", "@plexus_command")));
        Assert.Equal($"claude --resume '{conversation}' --model 'big one'", PaneOption("agent", "@plexus_command"));
        Assert.EndsWith($"--resume {conversation} --model big one", (await File.ReadAllLinesAsync(ClaudeLog))[^1], StringComparison.Ordinal);
        Assert.Equal(conversation, restored.Single(session => session.Name == "agent").AgentSessionId);
        Assert.Contains("(resume)", await WaitForScreenAsync("agent", "conversation "), StringComparison.Ordinal);
        Assert.Contains("MY_SETTING=on", PaneEnvironment("plain-0"), StringComparison.Ordinal);
        Assert.Empty((await second.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions);
    }

    [Fact]
    public async Task ACodexSession_IsRestoredIntoItsOwnThread_ReadFromTheRolloutFileItKeepsOpen()
    {
        const string thread = "01a22cd0-8905-7513-aaec-9765aa337dc9";
        // The thread id is read through /proc, which only Linux's path has: pinned whatever path the suite forces
        // (on the portable one a restore starts a new Codex conversation; README, "Portable path").
        var first = await StartHostAsync(new Dictionary<string, string> { ["PLEXUS_PORTABLE"] = "0" });
        await first.CallAsync<Session>("sessions/create", new CreateSessionParams("codex-agent", "codex --no-daemon", Folder("codex")));
        await first.Notifications.WaitForSessionsAsync(sessions => sessions.Any(session => session.Name == "codex-agent" && session.AgentSessionId == thread), Deadline, "the Codex thread id");
        await WaitForAsync(() => File.ReadAllText(RecordsFile()).Contains(thread, StringComparison.Ordinal), "the thread id in the records file");

        tmux.Run("kill-server");
        var second = await StartHostAsync();
        await second.CallAsync<Session>("sessions/restore", new SessionNameParams("codex-agent"));

        Assert.Equal($"codex resume '{thread}' --no-daemon", PaneOption("codex-agent", "@plexus_command"));
        Assert.Contains($"conversation {thread}", await WaitForScreenAsync("codex-agent", "conversation "), StringComparison.Ordinal);
        Assert.Equal($"resume {thread} --no-daemon", (await File.ReadAllLinesAsync(CodexLog))[^1]);
    }

    [Fact]
    public async Task KillInPlexusForgets_ForgetRemoves_AndARunningSessionIsNotRestoredTwice()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("killed", "sleep 300");
        await host.CreateAsync("gone", "sleep 300");
        await host.CreateAsync("alive", "sleep 300");

        await host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams("killed"));
        tmux.Run("kill-session", "-t", "=gone");
        await WaitForAsync(async () => (await NotRunningNamesAsync(host)).SequenceEqual(["gone"]), "'gone' not running");
        var restoreRunning = await host.ErrorCodeOfAsync("sessions/restore", new SessionNameParams("alive"));
        await host.CallAsync<EmptyResult>("sessions/forget", new SessionNameParams("gone"));

        Assert.Equal(ErrorCodes.SessionExists, restoreRunning);
        Assert.Empty(await NotRunningNamesAsync(host));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/restore", new SessionNameParams("killed")));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/forget", new SessionNameParams("gone")));
    }

    [Fact]
    public async Task KillAnswersWithTheForgottenRecord_AndRememberPutsItBack_ToBeRestored()
    {
        var host = await StartHostAsync();
        var folder = Folder("undone");
        await host.CallAsync<Session>("sessions/create", new CreateSessionParams("undone", "sleep 305", folder, Env: new Dictionary<string, string> { ["MY_SETTING"] = "kept" }));
        await host.CreateAsync("other", "sleep 300");

        var killed = await host.CallAsync<KillResult>("sessions/kill", new SessionNameParams("undone"));
        var afterKill = await NotRunningNamesAsync(host);
        var notRunningBeforeUndo = host.Notifications.NotRunningChanges.Count;
        await host.CallAsync<EmptyResult>("sessions/remember", new RememberParams(killed.Forgotten!));
        var afterUndo = (await host.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions;
        await host.CallAsync<Session>("sessions/restore", new SessionNameParams("undone"));

        Assert.Empty(afterKill);
        Assert.DoesNotContain(host.Notifications.NotRunningChanges.Take(notRunningBeforeUndo), list => list.Any(record => record.Name == "undone"));
        Assert.Equal(("undone", "sleep 305", folder), (killed.Forgotten!.Name, killed.Forgotten.Command, killed.Forgotten.Cwd));
        Assert.NotNull(killed.Forgotten.StoppedAt);
        var record = Assert.Single(afterUndo);
        Assert.Equal(("undone", "sleep 305", folder, "kept"), (record.Name, record.Command, record.Cwd, record.Env!["MY_SETTING"]));
        Assert.Equal("sleep 305", PaneOption("undone", "@plexus_command"));
        Assert.Contains("MY_SETTING=kept", PaneEnvironment("undone"), StringComparison.Ordinal);
        Assert.Empty(await NotRunningNamesAsync(host));
    }

    [Fact]
    public async Task Remember_NeverReplacesTheRecordOfARunningSession_AndKillOfAnUnrememberedSessionForgetsNothing()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("twice", "sleep 300");
        var killed = await host.CallAsync<KillResult>("sessions/kill", new SessionNameParams("twice"));
        await host.CreateAsync("twice", "sleep 306");
        tmux.Run("new-session", "-d", "-s", "by-hand", "sleep 300");
        await WaitForAsync(async () => (await host.ListAsync()).Any(session => session.Name == "by-hand"), "the session made by hand");

        var undoCode = await host.ErrorCodeOfAsync("sessions/remember", new RememberParams(killed.Forgotten!));
        var unremembered = await host.CallAsync<KillResult>("sessions/kill", new SessionNameParams("by-hand"));
        tmux.Run("kill-session", "-t", "=twice");
        await WaitForAsync(async () => (await NotRunningNamesAsync(host)).SequenceEqual(["twice"]), "'twice' not running");

        Assert.Equal(ErrorCodes.SessionExists, undoCode);
        Assert.Null(unremembered.Forgotten);
        var record = (await host.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions.Single();
        Assert.Equal("sleep 306", record.Command);
    }

    [Fact]
    public async Task ACorruptRecordsFile_IsSetAside_NotLost()
    {
        var first = await StartHostAsync();
        await first.CreateAsync("one", "sleep 300");
        tmux.Run("kill-server");
        var file = RecordsFile();
        await File.WriteAllTextAsync(file, "{\"version\":1,\"sessions\":[{\"na");

        var second = await StartHostAsync();
        var notRunning = (await second.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions;

        Assert.Empty(notRunning);
        var aside = Assert.Single(Directory.GetFiles(RecordsFolder, "*.corrupt-*"));
        Assert.Equal("{\"version\":1,\"sessions\":[{\"na", await File.ReadAllTextAsync(aside));
    }

    [Fact]
    public async Task TwoHostsCreatingAtOnce_LoseNoRecord()
    {
        // Both hosts attached before they create: a session created while another control client's handshake is
        // half read crashes tmux 3.3a (see TmuxConnection.FindStableSessionAsync), which is not what this test is about.
        tmux.Run("new-session", "-d", "-s", "base", "sleep 300");
        var a = await StartHostAsync();
        var b = await StartHostAsync();
        foreach (var host in new[] { a, b })
        {
            await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "base"), Deadline, "the host attached");
        }

        await Task.WhenAll(
            Task.WhenAll(Enumerable.Range(0, 5).Select(i => a.CreateAsync($"a-{i}", "sleep 300"))),
            Task.WhenAll(Enumerable.Range(0, 5).Select(i => b.CreateAsync($"b-{i}", "sleep 300"))));
        tmux.Run("kill-server");
        var third = await StartHostAsync();

        var names = (await third.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions.Select(record => record.Name).Order().ToList();
        Assert.Equal([.. Enumerable.Range(0, 5).Select(i => $"a-{i}"), .. Enumerable.Range(0, 5).Select(i => $"b-{i}")], names);
    }

    [Fact]
    public async Task AnEndedSessionsScrollback_IsSaved_AndReadableWhenItNoLongerRuns()
    {
        var first = await StartHostAsync();
        await first.CreateAsync("short", "echo last words here; exit 3");
        await first.Notifications.WaitForStatusAsync("short", SessionStatus.Error, Deadline);
        await WaitForAsync(() => File.ReadAllText(RecordsFile()).Contains("\"hasScrollback\":true", StringComparison.Ordinal), "the saved scrollback");

        tmux.Run("kill-server");
        var second = await StartHostAsync();
        var record = Assert.Single((await second.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions);
        var scrollback = await second.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("short"));

        Assert.True(record.HasScrollback);
        Assert.Contains("last words here", scrollback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACleanShutdown_SavesTheScrollbackOfRunningSessions()
    {
        var first = await StartHostAsync();
        await first.CreateAsync("running", "echo still here; exec sleep 300");
        await WaitForScreenAsync("running", "still here");

        await first.ShutdownAsync();
        Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        tmux.Run("kill-server");
        var second = await StartHostAsync();
        var scrollback = await second.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("running"));

        Assert.Contains("still here", scrollback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNoSessionRecords_NothingIsRemembered()
    {
        var host = await StartHostAsync("--no-session-records");
        await host.CreateAsync("unremembered", "sleep 300");
        tmux.Run("kill-server");

        Assert.Empty((await host.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions);
        Assert.False(Directory.Exists(RecordsFolder));
    }

    private Task<HostProcess> StartHostAsync(params string[] options) => StartHostAsync(new Dictionary<string, string>(), options);

    private async Task<HostProcess> StartHostAsync(IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var host = await HostProcess.StartAsync(
            new Dictionary<string, string>(environment)
            {
                ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["XDG_STATE_HOME"] = State,
            },
            ["--tmux-socket-name", tmux.SocketName, .. options]);
        hosts.Add(host);
        await host.InitializeAsync();
        return host;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(root, "work", name)).FullName;

    private string RecordsFile() => Assert.Single(Directory.GetFiles(RecordsFolder, "*.json"));

    private static async Task<List<string>> NotRunningNamesAsync(HostProcess host) =>
        [.. (await host.CallAsync<NotRunningList>("sessions/notRunning", new EmptyParams())).Sessions.Select(record => record.Name)];

    private string PaneOption(string session, string option) =>
        tmux.Run("show-options", "-p", "-v", "-q", "-t", $"={session}:", option).Output.TrimEnd('\n');

    private string PaneEnvironment(string session)
    {
        var pid = tmux.Run("display-message", "-p", "-t", $"={session}:", "#{pane_pid}").Output.Trim();
        return File.ReadAllText($"/proc/{pid}/environ").Replace('\0', '\n');
    }

    private async Task<string> WaitForScreenAsync(string session, string text)
    {
        var screen = string.Empty;
        await WaitForAsync(() => (screen = tmux.Run("capture-pane", "-p", "-t", $"={session}:").Output).Contains(text, StringComparison.Ordinal), $"'{text}' on {session}'s screen");
        return screen;
    }

    private static Task WaitForAsync(Func<bool> done, string what) => WaitForAsync(() => Task.FromResult(done()), what);

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Deadline.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
