using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>Every protocol method against a real host and a private tmux server.</summary>
public sealed class SessionLifecycleTests : HostTestBase
{
    [Fact]
    public async Task Create_ReturnsSessionAndTmuxHasIt()
    {
        var session = await Host.CreateAsync("create-me", "sleep 300");

        Assert.Equal("create-me", session.Name);
        Assert.StartsWith("$", session.Id);
        Assert.Equal(1, session.Windows);
        Assert.Equal(0, session.AttachedClients);
        Assert.True(session.CreatedAt > 1_700_000_000);
        Assert.Contains("create-me", Tmux.SessionNames());
        Assert.Contains(await Host.ListAsync(), listed => listed.Name == "create-me");
    }

    [Fact]
    public async Task Create_SetsRemainOnExitOnItsWindowOnly_AndLongHistory()
    {
        await Host.CreateAsync("options-check", "sleep 300");

        Assert.Equal("on", Tmux.Run("show-options", "-wv", "-t", "=options-check:", "remain-on-exit").Output.Trim());
        Assert.NotEqual("on", Tmux.Run("show-options", "-gwv", "remain-on-exit").Output.Trim());
        Assert.Equal("50000", Tmux.Run("display-message", "-p", "-t", "=options-check:", "#{history_limit}").Output.Trim());
    }

    [Fact]
    public async Task Create_DuplicateName_FailsWithSessionExists_AndKeepsTheOriginal()
    {
        await Host.CreateAsync("twice", "sleep 300");
        var paneBefore = Tmux.Run("display-message", "-p", "-t", "=twice:", "#{pane_id}").Output;

        var code = await Host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams("twice", "sleep 1"));

        Assert.Equal(ErrorCodes.SessionExists, code);
        Assert.Equal(paneBefore, Tmux.Run("display-message", "-p", "-t", "=twice:", "#{pane_id}").Output);
    }

    [Fact]
    public async Task Create_InAFolderThatDoesNotExist_FailsWithInvalidParams_AndCreatesNothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"plexus-missing-{Guid.NewGuid():N}");

        var code = await Host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams("nowhere", "sleep 300", Cwd: missing));

        Assert.Equal(ErrorCodes.InvalidParams, code);
        Assert.DoesNotContain("nowhere", Tmux.SessionNames());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has.dot")]
    [InlineData("has:colon")]
    [InlineData("dollar$sign")]
    [InlineData("back\\slash")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    public async Task Create_InvalidName_FailsWithInvalidName_AndCreatesNothing(string name)
    {
        var before = Tmux.SessionNames().Count;

        var code = await Host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams(name));

        Assert.Equal(ErrorCodes.InvalidName, code);
        Assert.Equal(before, Tmux.SessionNames().Count);
    }

    [Fact]
    public async Task Create_NameOver128Characters_IsRejected()
    {
        var code = await Host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams(new string('a', 129)));

        Assert.Equal(ErrorCodes.InvalidName, code);
    }

    [Fact]
    public async Task Kill_LeavesPrefixSiblingAlone()
    {
        await Host.CreateAsync("coder", "sleep 300");
        await Host.CreateAsync("coder-1", "sleep 300");

        await Host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams("coder"));

        Assert.DoesNotContain("coder", Tmux.SessionNames());
        Assert.Contains("coder-1", Tmux.SessionNames());
    }

    [Fact]
    public async Task Kill_PrefixOfExistingSession_IsNotFound_AndKillsNothing()
    {
        await Host.CreateAsync("reviewer-long", "sleep 300");

        var code = await Host.ErrorCodeOfAsync("sessions/kill", new SessionNameParams("reviewer"));

        Assert.Equal(ErrorCodes.SessionNotFound, code);
        Assert.Contains("reviewer-long", Tmux.SessionNames());
    }

    [Fact]
    public async Task Rename_ChangesTheName_AndRejectsTakenAndInvalidNames()
    {
        await Host.CreateAsync("old-name", "sleep 300");
        await Host.CreateAsync("taken", "sleep 300");

        var renamed = await Host.CallAsync<Session>("sessions/rename", new RenameSessionParams("old-name", "new name é"));
        var taken = await Host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("new name é", "taken"));
        var invalid = await Host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("new name é", "a:b"));
        var missing = await Host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("no-such", "whatever"));

        Assert.Equal("new name é", renamed.Name);
        Assert.Contains("new name é", Tmux.SessionNames());
        Assert.DoesNotContain("old-name", Tmux.SessionNames());
        Assert.Equal(ErrorCodes.SessionExists, taken);
        Assert.Equal(ErrorCodes.InvalidName, invalid);
        Assert.Equal(ErrorCodes.SessionNotFound, missing);
    }

    [Fact]
    public async Task Scrollback_ReturnsMoreThanTmuxDefaultHistory_NewestLast()
    {
        await Host.CreateAsync("long-output", "seq 1 6000; sleep 300");
        await WaitForScrollbackAsync("long-output", text => text.Contains("6000"));

        var result = await Host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("long-output"));
        var lines = result.Text.Split('\n');

        Assert.Equal(lines.Length, result.LineCount);
        Assert.Equal(result.LineCount, result.TotalLines);
        Assert.Equal(50000, result.HistoryLimit);
        Assert.Equal("1", lines[0]);
        Assert.Equal("6000", lines[^1]);
    }

    [Fact]
    public async Task Scrollback_WithLines_ReturnsTheTail_AndCountsTheWholeHistory()
    {
        await Host.CreateAsync("tail", "seq 1 12000; sleep 300");
        await WaitForScrollbackAsync("tail", text => text.EndsWith("12000", StringComparison.Ordinal));

        var result = await Host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("tail", 1000));

        Assert.Equal(1000, result.LineCount);
        Assert.Equal(12000, result.TotalLines);
        Assert.StartsWith("11001\n", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandNotFound_ErrorCarriesWhatTheShellPrinted_InNotificationAndList()
    {
        await Host.CreateAsync("missing-command", "plexus-no-such-command-xyz --flag");

        var (_, change) = await Host.Notifications.WaitForStatusAsync("missing-command", SessionStatus.Error, TimeSpan.FromSeconds(10));

        Assert.Equal(127, change.ExitCode);
        Assert.Contains("plexus-no-such-command-xyz", change.Detail, StringComparison.Ordinal);
        Assert.Contains("not found", change.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Pane is dead", change.Detail, StringComparison.Ordinal);
        var listed = (await Host.ListAsync()).Single(session => session.Name == "missing-command");
        Assert.Equal(change.Detail, listed.Detail);
    }

    [Fact]
    public async Task CommandNotFound_WhoseWordsTmuxDidNotKeep_IsExplainedByItsStatus()
    {
        // tmux 3.3a sometimes closes a pane that exited before reading the shell's "not found" from it. A
        // program that wipes the screen and history, then exits 127, leaves the screen as that race does.
        var directory = Directory.CreateTempSubdirectory("plexus-vanishing-").FullName;
        var program = Path.Combine(directory, "vanishing-program");
        await File.WriteAllTextAsync(program, "#!/bin/sh\nprintf '\\033[H\\033[2J\\033[3J'\nexit 127\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await Host.CreateAsync("vanished", $"'{program}' --flag");

            var (_, change) = await Host.Notifications.WaitForStatusAsync("vanished", SessionStatus.Error, TimeSpan.FromSeconds(10));

            Assert.Equal(127, change.ExitCode);
            Assert.Equal($"{program}: command not found", change.Detail);
            Assert.Equal(change.Detail, (await Host.ListAsync()).Single(session => session.Name == "vanished").Detail);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Scrollback_JoinsWrappedLines_AndHonoursLineCount()
    {
        var longLine = new string('x', 500);
        await Host.CallAsync<Session>("sessions/create", new CreateSessionParams("wrapped", $"printf '%s\\n' one two {longLine}; sleep 300", Width: 80, Height: 24));
        await WaitForScrollbackAsync("wrapped", text => text.Contains(longLine));

        var lastTwo = await Host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("wrapped", 2));

        Assert.Equal(2, lastTwo.LineCount);
        Assert.Equal($"two\n{longLine}", lastTwo.Text);
    }

    [Theory]
    [InlineData("one line")]
    [InlineData("two\nlines")]
    public async Task SendText_ToAnEndedProgram_FailsClearly_AndTmuxKeepsRunning(string text)
    {
        await Host.CreateAsync("bystander", "sleep 300");
        await Host.CreateAsync("finished", "true");
        await Host.Notifications.WaitForStatusAsync("finished", SessionStatus.Ended, Deadline);

        var code = await Host.ErrorCodeOfAsync("sessions/sendText", new SendTextParams("finished", text, Enter: true));

        Assert.Equal(ErrorCodes.TmuxCommandFailed, code);
        Assert.Equal(["bystander", "finished"], Tmux.SessionNames().Order());
        Assert.Empty(Tmux.Run("list-buffers").Output);
    }

    [Fact]
    public async Task SendText_MultiLineText_ArrivesIntact_AndEnterIsSeparate()
    {
        await Host.CreateAsync("typing", "cat");

        await Host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("typing", "first line\nsecond line", Enter: true));

        var text = await WaitForScrollbackAsync("typing", text => text.Contains("second line"));
        Assert.Contains("first line\nsecond line", text);
    }

    [Fact]
    public async Task SendText_TextThatLooksLikeAnOption_IsTypedLiterally()
    {
        await Host.CreateAsync("dashes", "cat");

        await Host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("dashes", "-t =other -- ; kill-server", Enter: true));

        await WaitForScrollbackAsync("dashes", text => text.Contains("-t =other -- ; kill-server"));
        Assert.Contains("dashes", Tmux.SessionNames());
    }

    [Fact]
    public async Task Respawn_RestartsAnExitedProgram_AndRefusesARunningOne()
    {
        await Host.CreateAsync("restartable", "exit 3");
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "restartable" && s.Status == SessionStatus.Error && s.ExitCode == 3), Deadline, "restartable to end with code 3");

        var respawned = await Host.CallAsync<Session>("sessions/respawn", new RespawnParams("restartable", "sleep 300"));
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "restartable" && s.Command == "sleep"), Deadline, "restartable to run sleep");
        var stillRunning = await Host.ErrorCodeOfAsync("sessions/respawn", new RespawnParams("restartable"));

        Assert.Equal("restartable", respawned.Name);
        Assert.Equal("0", Tmux.Run("display-message", "-p", "-t", "=restartable:", "#{pane_dead}").Output.Trim());
        Assert.Equal(ErrorCodes.SessionStillRunning, stillRunning);
    }

    [Fact]
    public async Task MissingSession_IsNotFound_ForEveryTargetedMethod()
    {
        await Host.CreateAsync("someone-else", "sleep 300");
        Assert.Equal(ErrorCodes.SessionNotFound, await Host.ErrorCodeOfAsync("sessions/kill", new SessionNameParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await Host.ErrorCodeOfAsync("sessions/scrollback", new ScrollbackParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await Host.ErrorCodeOfAsync("sessions/sendText", new SendTextParams("ghost", "hi")));
        Assert.Equal(ErrorCodes.SessionNotFound, await Host.ErrorCodeOfAsync("sessions/respawn", new RespawnParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await Host.ErrorCodeOfAsync("sessions/attachCommand", new AttachCommandParams("ghost")));
    }

    [Fact]
    public async Task ExternallyCreatedSessionsWithOddNames_Appear()
    {
        string[] names = ["with space", "hash#1", "ünïcødé 🚀", "quote'n\"dbl", "semi;colon", "#{session_name}"];
        await Host.CreateAsync("anchor", "sleep 300");

        foreach (var name in names)
        {
            Assert.Equal(0, Tmux.Run("new-session", "-d", "-s", name.Replace("#", "##"), "sleep 300").ExitCode);
        }

        await Host.Notifications.WaitForSessionsAsync(list => names.All(name => list.Any(s => s.Name == name)), Deadline, "external sessions to appear");
    }

    [Fact]
    public async Task ExternallyKilledSession_Disappears()
    {
        await Host.CreateAsync("doomed", "sleep 300");

        Tmux.Run("kill-session", "-t", "=doomed");

        await Host.Notifications.WaitForSessionsAsync(list => list.All(s => s.Name != "doomed"), TimeSpan.FromSeconds(1), "doomed to disappear");
    }

    [Fact]
    public async Task OddNames_CanBeTargetedByEveryMethod()
    {
        const string odd = "odd #name ü 'q'";
        Tmux.Run("new-session", "-d", "-s", odd.Replace("#", "##"), "cat");
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == odd), Deadline, "the odd session");

        await Host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams(odd, "hello odd", Enter: true));
        await WaitForScrollbackAsync(odd, text => text.Contains("hello odd"));
        var attach = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams(odd));
        await Host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams(odd));

        Assert.Equal("=" + odd, attach.Args[^1]);
        Assert.DoesNotContain(odd, Tmux.SessionNames());
    }

    private async Task<string> WaitForScrollbackAsync(string name, Func<string, bool> predicate)
    {
        // The pane's text is not pushed; re-reading it after each notification (or briefly) keeps the deadline honest.
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (true)
        {
            var result = await Host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams(name));
            if (predicate(result.Text))
            {
                return result.Text;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"scrollback of '{name}' never matched; last text:\n{result.Text}");
            await Task.Delay(50);
        }
    }
}
