using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// Live status from real output: scripted fake agents (tests/fake-agents) run in a private tmux server and the
/// real host reports every state and transition through <c>session/statusChanged</c>, with short thresholds.
/// Where a test must show that something does not happen, another session's event is the clock.
/// </summary>
[Collection(StatusTimingCollection.Name)]
public sealed class StatusTests : IAsyncLifetime
{
    private const double IdleAfter = 1;
    private const double StuckAfter = 3;
    private static readonly StatusSettings FastThresholds = new(IdleAfterSeconds: IdleAfter, StuckAfterSeconds: StuckAfter);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();
    private readonly List<string> temporaryDirectories = [];
    private HostProcess? started;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (started is not null)
        {
            await started.DisposeAsync();
        }

        tmux.Dispose();
        foreach (var directory in temporaryDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task FrozenBusyLine_IsRunningThenStuck_WhileFlowingOutputStaysRunning()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("chatty", FakeAgents.Command("chatty.sh", "0.1"));
        await host.CreateAsync("frozen", FakeAgents.Command("frozen.sh"));

        var stuck = await host.Notifications.WaitForStatusAsync("frozen", SessionStatus.Stuck, Deadline);

        // A busy screen keeps a quiet session running (never idle) until the stuck threshold, not before.
        Assert.Equal([SessionStatus.Running, SessionStatus.Stuck], StatusesOf(host, "frozen"));
        Assert.Equal("✶ Percolating… (41s · ↓ 2.3k tokens · esc to interrupt)", stuck.Change.Detail);
        var running = ChangesOf(host, "frozen")[0];
        Assert.True(
            stuck.Change.Since - running.Since >= StuckAfter - 0.5,
            $"stuck {stuck.Change.Since - running.Since:0.00} s after running; the threshold is {StuckAfter} s");

        // By the time the frozen agent is stuck, the chatty one has been printing past both thresholds.
        Assert.Equal([SessionStatus.Running], StatusesOf(host, "chatty"));
    }

    [Fact]
    public async Task ClaudePermissionMenu_IsWaitingForPermission_WithTheQuestion_InBothNotifications()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("agent", FakeAgents.Command("claude-working.sh", "1.5"));

        var (_, waiting) = await host.Notifications.WaitForStatusAsync("agent", SessionStatus.Waiting, Deadline);

        Assert.Equal(SessionStatus.Running, waiting.Previous);
        Assert.Equal(WaitingReason.Permission, waiting.Reason);
        Assert.Equal("Do you want to proceed?", waiting.Detail);
        Assert.Null(waiting.ExitCode);

        // statusChanged goes out before the sessions/changed of the same update; both say the same thing.
        var sessions = await host.Notifications.WaitForSessionsAsync(
            list => list.Any(session => session.Name == "agent" && session.Status == SessionStatus.Waiting),
            Deadline,
            "agent to be listed as waiting");
        var listed = sessions.Single(session => session.Name == "agent");
        Assert.Equal(waiting.Id, listed.Id);
        Assert.Equal(waiting.Reason, listed.Reason);
        Assert.Equal(waiting.Detail, listed.Detail);
        Assert.Equal(waiting.Since, listed.StatusSince);
        Assert.Equal("claude", listed.Command);
        Assert.Equal(listed, (await host.ListAsync()).Single(session => session.Name == "agent"));
    }

    [Fact]
    public async Task AnsweredPermission_LeavesWaiting_WorksAgain_ThenIdlesAtTheInputBox()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("agent", FakeAgents.Command("claude-working.sh", "1", "1.5"));
        await host.Notifications.WaitForStatusAsync("agent", SessionStatus.Waiting, Deadline);
        var answered = DateTimeOffset.UtcNow;

        await host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("agent", "1", Enter: true));

        var (_, working) = await host.Notifications.WaitForStatusAsync("agent", SessionStatus.Running, Deadline, answered);
        var (_, idle) = await host.Notifications.WaitForStatusAsync("agent", SessionStatus.Idle, Deadline, answered);
        Assert.Equal(SessionStatus.Waiting, working.Previous);
        Assert.Null(working.Reason);
        Assert.Null(idle.Detail);
        Assert.Equal(
            [SessionStatus.Running, SessionStatus.Waiting, SessionStatus.Running, SessionStatus.Idle],
            StatusesOf(host, "agent"));
    }

    [Fact]
    public async Task ClaudeSelectionMenu_IsWaitingWithAQuestion()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("asker", FakeAgents.Command("claude-question.sh", "1"));

        var (_, waiting) = await host.Notifications.WaitForStatusAsync("asker", SessionStatus.Waiting, Deadline);

        Assert.Equal(WaitingReason.Question, waiting.Reason);
        Assert.Equal("Which framework should the web client use?", waiting.Detail);
        Assert.Equal([SessionStatus.Running, SessionStatus.Waiting], StatusesOf(host, "asker"));
    }

    [Fact]
    public async Task YesNoPrompt_IsWaitingForPermission_AndAnsweringLeavesWaiting()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("script", FakeAgents.Command("yes-no.sh", "1.5"));
        var (_, waiting) = await host.Notifications.WaitForStatusAsync("script", SessionStatus.Waiting, Deadline);
        Assert.Equal(WaitingReason.Permission, waiting.Reason);
        Assert.Equal("Overwrite file? [y/N]", waiting.Detail);
        var answered = DateTimeOffset.UtcNow;

        await host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("script", "y", Enter: true));

        var (_, ended) = await host.Notifications.WaitForStatusAsync("script", SessionStatus.Ended, Deadline, answered);
        Assert.Equal(0, ended.ExitCode);
        Assert.Equal(
            [SessionStatus.Running, SessionStatus.Waiting, SessionStatus.Running, SessionStatus.Ended],
            StatusesOf(host, "script"));
    }

    [Fact]
    public async Task ProgramExit_IsEndedOnZero_ErrorOnNonZeroOrSignal_WithTheExitCode()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("exit-0", FakeAgents.Command("exits.sh", "0"));
        await host.CreateAsync("exit-3", FakeAgents.Command("exits.sh", "3"));
        await host.CreateAsync("killed", FakeAgents.Command("exits.sh", "KILL"));

        var (_, ended) = await host.Notifications.WaitForStatusAsync("exit-0", SessionStatus.Ended, Deadline);
        var (_, failed) = await host.Notifications.WaitForStatusAsync("exit-3", SessionStatus.Error, Deadline);
        var (_, killed) = await host.Notifications.WaitForStatusAsync("killed", SessionStatus.Error, Deadline);

        Assert.Equal(0, ended.ExitCode);
        Assert.Equal(3, failed.ExitCode);

        // Death by signal N reads as the shell's 128+N.
        Assert.Equal(128 + 9, killed.ExitCode);
        var sessions = await host.Notifications.WaitForSessionsAsync(
            list => list.Count(session => session.ExitCode is not null) == 3,
            Deadline,
            "all three exits to be listed");
        Assert.Equal(
            [(SessionStatus.Ended, 0), (SessionStatus.Error, 3), (SessionStatus.Error, 137)],
            new[] { "exit-0", "exit-3", "killed" }.Select(name => sessions.Single(s => s.Name == name)).Select(s => (s.Status, s.ExitCode ?? -1)));
    }

    [Fact]
    public async Task ProgramsAtTheirPrompt_AreIdle_AndStayIdlePastTheStuckThreshold()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("plain-shell", "bash --norc --noprofile");
        await host.CreateAsync("default-shell");
        await host.CreateAsync("input-box", FakeAgents.Command("idle-box.sh"));
        foreach (var name in new[] { "plain-shell", "default-shell", "input-box" })
        {
            await host.Notifications.WaitForStatusAsync(name, SessionStatus.Idle, Deadline);
        }

        // Created once the others are idle, the frozen agent turns stuck after they have been quiet for longer
        // than the stuck threshold: an idle screen (even of a non-shell program) must not turn stuck.
        await host.CreateAsync("clock", FakeAgents.Command("frozen.sh"));
        await host.Notifications.WaitForStatusAsync("clock", SessionStatus.Stuck, Deadline);

        Assert.All(
            new[] { "plain-shell", "default-shell", "input-box" },
            name => Assert.Equal([SessionStatus.Running, SessionStatus.Idle], StatusesOf(host, name)));
    }

    [Fact]
    public async Task SettingsUpdate_ChangesTheThresholdsAtRunTime()
    {
        var host = await StartHostAsync();
        await host.Rpc.NotifyWithParameterObjectAsync("settings/update", new StatusSettings(IdleAfterSeconds: 30));
        await host.CreateAsync("shell", "bash --norc --noprofile");
        await host.CreateAsync("clock", FakeAgents.Command("exits.sh", "0", "3"));

        // With the initial idleAfter the shell would be idle long before the clock's program exits.
        await host.Notifications.WaitForStatusAsync("clock", SessionStatus.Ended, Deadline);
        Assert.Equal([SessionStatus.Running], StatusesOf(host, "shell"));
        var lowered = DateTimeOffset.UtcNow;

        await host.Rpc.NotifyWithParameterObjectAsync("settings/update", new StatusSettings(IdleAfterSeconds: IdleAfter));

        await host.Notifications.WaitForStatusAsync("shell", SessionStatus.Idle, Deadline, lowered);
        Assert.Equal([SessionStatus.Running, SessionStatus.Idle], StatusesOf(host, "shell"));
    }

    [Fact]
    public async Task SessionsCreatedOutsidePlexus_AreTrackedToo()
    {
        var host = await StartHostAsync();
        await host.CreateAsync("anchor", "bash --norc --noprofile");

        Assert.Equal(0, tmux.Run("new-session", "-d", "-s", "outside-shell", "bash --norc --noprofile").ExitCode);
        Assert.Equal(0, tmux.Run("new-session", "-d", "-s", "outside-prompt", FakeAgents.Command("yes-no.sh")).ExitCode);

        await host.Notifications.WaitForStatusAsync("outside-shell", SessionStatus.Idle, Deadline);
        var (_, waiting) = await host.Notifications.WaitForStatusAsync("outside-prompt", SessionStatus.Waiting, Deadline);
        Assert.Equal(WaitingReason.Permission, waiting.Reason);
        Assert.Equal("Overwrite file? [y/N]", waiting.Detail);
        Assert.Equal([SessionStatus.Running, SessionStatus.Idle], StatusesOf(host, "outside-shell"));
        Assert.Equal([SessionStatus.Running, SessionStatus.Waiting], StatusesOf(host, "outside-prompt"));
    }

    [Fact]
    public async Task QuietSessions_ForkNoTmuxProcess()
    {
        var (wrapper, forkLog) = CountingTmuxWrapper();
        var host = await StartHostAsync("--tmux-path", wrapper);
        string[] shells = ["quiet-1", "quiet-2", "quiet-3"];
        foreach (var name in shells)
        {
            await host.CreateAsync(name, "bash --norc --noprofile");
        }

        await host.CreateAsync("quiet-asking", FakeAgents.Command("yes-no.sh"));
        var forksAfterCreate = await File.ReadAllLinesAsync(forkLog);
        foreach (var name in shells)
        {
            await host.Notifications.WaitForStatusAsync(name, SessionStatus.Idle, Deadline);
        }

        await host.Notifications.WaitForStatusAsync("quiet-asking", SessionStatus.Waiting, Deadline);

        // Reading the quiet screens went through the control client, not through forked captures.
        Assert.Equal(forksAfterCreate, await File.ReadAllLinesAsync(forkLog));
        var quietFrom = DateTimeOffset.UtcNow;

        // The measurement window itself (a fixed 3 s, the one deliberate wait): nothing may change and nothing
        // may be forked while every session sits idle or waiting.
        await Assert.ThrowsAsync<TimeoutException>(() => host.Notifications.WaitForAsync(
            () => host.Notifications.StatusChanges.Where(entry => entry.At >= quietFrom).Select(entry => (object?)entry).FirstOrDefault(),
            TimeSpan.FromSeconds(3),
            "a status change during the quiet period"));

        Assert.Equal(forksAfterCreate, await File.ReadAllLinesAsync(forkLog));

        // The wrapper was really used: the version check, the first session and the control client went through it.
        Assert.Contains(forksAfterCreate, line => line.Contains(" -C attach-session", StringComparison.Ordinal));
    }

    private static List<StatusChangedParams> ChangesOf(HostProcess host, string name) =>
        host.Notifications.StatusChanges.Select(entry => entry.Change).Where(change => change.Name == name).ToList();

    private static List<SessionStatus> StatusesOf(HostProcess host, string name) =>
        ChangesOf(host, name).Select(change => change.Status).ToList();

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task<HostProcess> StartHostAsync(params string[] arguments)
    {
        started = await HostProcess.StartAsync(["--tmux-socket-name", tmux.SocketName, .. arguments]);
        await started.InitializeAsync(FastThresholds);
        return started;
    }

    /// <summary>A tmux stand-in that logs each invocation, one line each, and runs the real tmux.</summary>
    private (string Wrapper, string Log) CountingTmuxWrapper()
    {
        var realTmux = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "tmux"))
            .First(File.Exists);
        var directory = Directory.CreateTempSubdirectory("plexus-fork-count-").FullName;
        temporaryDirectories.Add(directory);
        var log = Path.Combine(directory, "forks.log");
        var wrapper = Path.Combine(directory, "tmux");
        File.WriteAllText(log, string.Empty);
        File.WriteAllText(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {Quote(log)}\nexec {Quote(realTmux)} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (wrapper, log);
    }
}

/// <summary>
/// The status tests use a one-second idle threshold; run alongside the other classes on two cores, a starved
/// fake agent can really fall silent for a second. They run on their own instead.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StatusTimingCollection
{
    public const string Name = "Status timing";
}
