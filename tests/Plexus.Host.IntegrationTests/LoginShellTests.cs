using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// tmux runs a session's command with the user's shell (<c>$SHELL -c</c>). bash and zsh exec a lone command, but dash
/// (Debian's /bin/sh, and <c>useradd</c>'s default login shell) and fish fork it, so tmux would name every agent "sh".
/// </summary>
public sealed class LoginShellTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        host = await HostProcess.StartAsync(new Dictionary<string, string> { ["SHELL"] = "/bin/sh" }, "--tmux-socket-name", tmux.SocketName);
        await host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
    }

    [Fact]
    public async Task ALoneCommand_IsThePanesProgram_WithItsAssignments_WhileAListStaysWithTheShell()
    {
        await host.CreateAsync("lone", "PLEXUS_MARK='a b' sleep 300");
        await host.CreateAsync("list", "sleep 300; true");

        await host.Notifications.WaitForSessionsAsync(
            list => list.Any(s => s.Name == "lone" && s.Command == "sleep") && list.Any(s => s.Name == "list" && s.Command == "sh"),
            Deadline,
            "the lone command to be sleep, the list to be sh");

        Assert.Equal("/bin/sh", tmux.Run("show-options", "-gv", "default-shell").Output.Trim());
        var lonePid = tmux.Run("display-message", "-p", "-t", "=lone:", "#{pane_pid}").Output.Trim();
        Assert.Contains("PLEXUS_MARK=a b\0", await File.ReadAllTextAsync($"/proc/{lonePid}/environ"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentStartedThroughDash_IsNamedAfterItself_AndItsQuestionIsSeen()
    {
        await host.CreateAsync("agent", FakeAgents.Command("claude-working.sh", "1"));

        var (_, waiting) = await host.Notifications.WaitForStatusAsync("agent", SessionStatus.Waiting, Deadline);

        Assert.Equal(WaitingReason.Permission, waiting.Reason);
        Assert.Equal("claude", (await host.ListAsync()).Single(s => s.Name == "agent").Command);
    }

    [Fact]
    public async Task AProgramNowhereOnPath_IsLeftToTheShell_WhichSaysNotFoundInItsOwnWords()
    {
        await host.CreateAsync("missing", "plexus-no-such-command-xyz --flag");

        var (_, error) = await host.Notifications.WaitForStatusAsync("missing", SessionStatus.Error, Deadline);

        Assert.Equal(127, error.ExitCode);
        Assert.Contains("plexus-no-such-command-xyz", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("exec", error.Detail, StringComparison.Ordinal);
        Assert.Equal("\"plexus-no-such-command-xyz --flag\"", tmux.Run("display-message", "-p", "-t", "=missing:", "#{pane_start_command}").Output.Trim());
    }
}
