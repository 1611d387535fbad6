using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>Every protocol method against a real host and a private tmux server.</summary>
public sealed class SessionLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();
    private HostProcess host = null!;

    public async Task InitializeAsync() => host = await HostProcess.StartInitializedAsync(tmux);

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
    }

    [Fact]
    public async Task Create_ReturnsSessionAndTmuxHasIt()
    {
        var session = await host.CreateAsync("create-me", "sleep 300");

        Assert.Equal("create-me", session.Name);
        Assert.StartsWith("$", session.Id);
        Assert.Equal(1, session.Windows);
        Assert.Equal(0, session.AttachedClients);
        Assert.True(session.CreatedAt > 1_700_000_000);
        Assert.Contains("create-me", tmux.SessionNames());
        Assert.Contains(await host.ListAsync(), listed => listed.Name == "create-me");
    }

    [Fact]
    public async Task Create_SetsRemainOnExitOnItsWindowOnly_AndLongHistory()
    {
        await host.CreateAsync("options-check", "sleep 300");

        Assert.Equal("on", tmux.Run("show-options", "-wv", "-t", "=options-check:", "remain-on-exit").Output.Trim());
        Assert.NotEqual("on", tmux.Run("show-options", "-gwv", "remain-on-exit").Output.Trim());
        Assert.Equal("50000", tmux.Run("display-message", "-p", "-t", "=options-check:", "#{history_limit}").Output.Trim());
    }

    [Fact]
    public async Task Create_DuplicateName_FailsWithSessionExists_AndKeepsTheOriginal()
    {
        await host.CreateAsync("twice", "sleep 300");
        var paneBefore = tmux.Run("display-message", "-p", "-t", "=twice:", "#{pane_id}").Output;

        var code = await host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams("twice", "sleep 1"));

        Assert.Equal(ErrorCodes.SessionExists, code);
        Assert.Equal(paneBefore, tmux.Run("display-message", "-p", "-t", "=twice:", "#{pane_id}").Output);
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
        var before = tmux.SessionNames().Count;

        var code = await host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams(name));

        Assert.Equal(ErrorCodes.InvalidName, code);
        Assert.Equal(before, tmux.SessionNames().Count);
    }

    [Fact]
    public async Task Create_NameOver128Characters_IsRejected()
    {
        var code = await host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams(new string('a', 129)));

        Assert.Equal(ErrorCodes.InvalidName, code);
    }

    [Fact]
    public async Task Kill_LeavesPrefixSiblingAlone()
    {
        await host.CreateAsync("coder", "sleep 300");
        await host.CreateAsync("coder-1", "sleep 300");

        await host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams("coder"));

        Assert.DoesNotContain("coder", tmux.SessionNames());
        Assert.Contains("coder-1", tmux.SessionNames());
    }

    [Fact]
    public async Task Kill_PrefixOfExistingSession_IsNotFound_AndKillsNothing()
    {
        await host.CreateAsync("reviewer-long", "sleep 300");

        var code = await host.ErrorCodeOfAsync("sessions/kill", new SessionNameParams("reviewer"));

        Assert.Equal(ErrorCodes.SessionNotFound, code);
        Assert.Contains("reviewer-long", tmux.SessionNames());
    }

    [Fact]
    public async Task Rename_ChangesTheName_AndRejectsTakenAndInvalidNames()
    {
        await host.CreateAsync("old-name", "sleep 300");
        await host.CreateAsync("taken", "sleep 300");

        var renamed = await host.CallAsync<Session>("sessions/rename", new RenameSessionParams("old-name", "new name é"));
        var taken = await host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("new name é", "taken"));
        var invalid = await host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("new name é", "a:b"));
        var missing = await host.ErrorCodeOfAsync("sessions/rename", new RenameSessionParams("no-such", "whatever"));

        Assert.Equal("new name é", renamed.Name);
        Assert.Contains("new name é", tmux.SessionNames());
        Assert.DoesNotContain("old-name", tmux.SessionNames());
        Assert.Equal(ErrorCodes.SessionExists, taken);
        Assert.Equal(ErrorCodes.InvalidName, invalid);
        Assert.Equal(ErrorCodes.SessionNotFound, missing);
    }

    [Fact]
    public async Task Scrollback_ReturnsMoreThanTmuxDefaultHistory_NewestLast()
    {
        await host.CreateAsync("long-output", "seq 1 6000; sleep 300");
        await WaitForScrollbackAsync("long-output", text => text.Contains("6000"));

        var result = await host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("long-output"));
        var lines = result.Text.Split('\n');

        Assert.Equal(lines.Length, result.LineCount);
        Assert.Equal("1", lines[0]);
        Assert.Equal("6000", lines[^1]);
    }

    [Fact]
    public async Task Scrollback_JoinsWrappedLines_AndHonoursLineCount()
    {
        var longLine = new string('x', 500);
        await host.CallAsync<Session>("sessions/create", new CreateSessionParams("wrapped", $"printf '%s\\n' one two {longLine}; sleep 300", Width: 80, Height: 24));
        await WaitForScrollbackAsync("wrapped", text => text.Contains(longLine));

        var lastTwo = await host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("wrapped", 2));

        Assert.Equal(2, lastTwo.LineCount);
        Assert.Equal($"two\n{longLine}", lastTwo.Text);
    }

    [Fact]
    public async Task SendText_MultiLineText_ArrivesIntact_AndEnterIsSeparate()
    {
        await host.CreateAsync("typing", "cat");

        await host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("typing", "first line\nsecond line", Enter: true));

        var text = await WaitForScrollbackAsync("typing", text => text.Contains("second line"));
        Assert.Contains("first line\nsecond line", text);
    }

    [Fact]
    public async Task SendText_TextThatLooksLikeAnOption_IsTypedLiterally()
    {
        await host.CreateAsync("dashes", "cat");

        await host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("dashes", "-t =other -- ; kill-server", Enter: true));

        await WaitForScrollbackAsync("dashes", text => text.Contains("-t =other -- ; kill-server"));
        Assert.Contains("dashes", tmux.SessionNames());
    }

    [Fact]
    public async Task Respawn_RestartsAnExitedProgram_AndRefusesARunningOne()
    {
        await host.CreateAsync("restartable", "exit 3");
        await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "restartable" && s.Status == SessionStatus.Error && s.ExitCode == 3), Deadline, "restartable to end with code 3");

        var respawned = await host.CallAsync<Session>("sessions/respawn", new RespawnParams("restartable", "sleep 300"));
        await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "restartable" && s.Command == "sleep"), Deadline, "restartable to run sleep");
        var stillRunning = await host.ErrorCodeOfAsync("sessions/respawn", new RespawnParams("restartable"));

        Assert.Equal("restartable", respawned.Name);
        Assert.Equal("0", tmux.Run("display-message", "-p", "-t", "=restartable:", "#{pane_dead}").Output.Trim());
        Assert.Equal(ErrorCodes.SessionStillRunning, stillRunning);
    }

    [Fact]
    public async Task MissingSession_IsNotFound_ForEveryTargetedMethod()
    {
        await host.CreateAsync("someone-else", "sleep 300");
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/kill", new SessionNameParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/scrollback", new ScrollbackParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/sendText", new SendTextParams("ghost", "hi")));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/respawn", new RespawnParams("ghost")));
        Assert.Equal(ErrorCodes.SessionNotFound, await host.ErrorCodeOfAsync("sessions/attachCommand", new AttachCommandParams("ghost")));
    }

    [Fact]
    public async Task ExternallyCreatedSessionsWithOddNames_AppearWithinOneSecond()
    {
        string[] names = ["with space", "hash#1", "ünïcødé 🚀", "quote'n\"dbl", "semi;colon", "#{session_name}"];
        await host.CreateAsync("anchor", "sleep 300");
        var started = DateTimeOffset.UtcNow;

        foreach (var name in names)
        {
            Assert.Equal(0, tmux.Run("new-session", "-d", "-s", name.Replace("#", "##"), "sleep 300").ExitCode);
        }

        await host.Notifications.WaitForSessionsAsync(list => names.All(name => list.Any(s => s.Name == name)), TimeSpan.FromSeconds(1), "external sessions to appear");
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ExternallyKilledSession_Disappears()
    {
        await host.CreateAsync("doomed", "sleep 300");

        tmux.Run("kill-session", "-t", "=doomed");

        await host.Notifications.WaitForSessionsAsync(list => list.All(s => s.Name != "doomed"), TimeSpan.FromSeconds(1), "doomed to disappear");
    }

    [Fact]
    public async Task OddNames_CanBeTargetedByEveryMethod()
    {
        const string odd = "odd #name ü 'q'";
        tmux.Run("new-session", "-d", "-s", odd.Replace("#", "##"), "cat");
        await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == odd), Deadline, "the odd session");

        await host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams(odd, "hello odd", Enter: true));
        await WaitForScrollbackAsync(odd, text => text.Contains("hello odd"));
        var attach = await host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams(odd));
        await host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams(odd));

        Assert.Equal("=" + odd, attach.Args[^1]);
        Assert.DoesNotContain(odd, tmux.SessionNames());
    }

    private async Task<string> WaitForScrollbackAsync(string name, Func<string, bool> predicate)
    {
        // The pane's text is not pushed; re-reading it after each notification (or briefly) keeps the deadline honest.
        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (true)
        {
            var result = await host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams(name));
            if (predicate(result.Text))
            {
                return result.Text;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"scrollback of '{name}' never matched; last text:\n{result.Text}");
            await Task.Delay(50);
        }
    }
}
