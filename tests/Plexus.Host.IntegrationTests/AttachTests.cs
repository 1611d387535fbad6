using System.Diagnostics;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>The attach command really attaches a terminal, and closing it detaches without killing anything.</summary>
public sealed class AttachTests : HostTestBase
{
    [Fact]
    public async Task AttachCommand_NamesTheServerExplicitly_AndClearsTmux()
    {
        await Host.CreateAsync("attachable", "sleep 300");

        var attach = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("attachable"));
        var readOnly = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("attachable", ReadOnly: true));
        var ignoreSize = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("attachable", IgnoreSize: true));

        Assert.True(File.Exists(attach.File));
        Assert.Contains(Tmux.SocketPath, attach.Args);
        Assert.Equal(["attach-session", "-t", "=attachable"], attach.Args.TakeLast(3));
        Assert.Contains("-r", readOnly.Args);
        Assert.DoesNotContain("ignore-size", attach.Args);
        Assert.Equal(["-f", "ignore-size", "-t", "=attachable"], ignoreSize.Args.TakeLast(4));
        Assert.Equal(string.Empty, attach.Env["TMUX"]);
    }

    [Fact]
    public async Task AttachingInATerminal_CountsAClient_AndClosingItDetachesWithoutKilling()
    {
        await Host.CreateAsync("watched", "sleep 300");
        var attach = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("watched"));

        // Run the argv in a pseudo-terminal as an editor terminal would, from inside a (fake) outer tmux.
        using var terminal = StartInPseudoTerminal(attach, outerTmux: "/tmp/tmux-0/outer,1,0");
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "watched" && s.AttachedClients == 1), Deadline, "one attached client");

        terminal.Kill(entireProcessTree: true);
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "watched" && s.AttachedClients == 0), Deadline, "the client to detach");

        Assert.Contains("watched", Tmux.SessionNames());
    }

    [Fact]
    public async Task FindClient_NamesTheSessionAReadOnlyTerminalShows_AndNothingForOtherProcesses()
    {
        var session = await Host.CreateAsync("restored", "sleep 300");
        var attach = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("restored", ReadOnly: true));
        using var terminal = StartInPseudoTerminal(attach, outerTmux: string.Empty);
        await Host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "restored" && s.AttachedClients == 1), Deadline, "one attached client");

        // The terminal's process, as VS Code reports it, is the tmux client script(1) runs (through $SHELL -c,
        // which may or may not exec it, so the client is found among the server's clients by ancestry).
        var clientPid = ClientPids().Single(pid => IsDescendantOf(pid, terminal.Id));
        var found = await Host.CallAsync<FindClientResult>("clients/find", new FindClientParams(clientPid));
        var stranger = await Host.CallAsync<FindClientResult>("clients/find", new FindClientParams(Environment.ProcessId));

        Assert.Equal("restored", found.Session);
        Assert.Equal(session.Id, found.SessionId);
        Assert.True(found.ReadOnly);
        Assert.Null(stranger.Session);
        terminal.Kill(entireProcessTree: true);
    }

    [Fact]
    public async Task DetachClients_DetachesOnlyClientsOfThisServerWithThosePids_AndKillsNothing()
    {
        await Host.CreateAsync("pane", "sleep 300");
        await Host.CreateAsync("kept", "sleep 300");
        var attach = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("pane"));
        var attachKept = await Host.CallAsync<AttachCommandResult>("sessions/attachCommand", new AttachCommandParams("kept"));
        using var stale = StartInPseudoTerminal(attach, outerTmux: string.Empty);
        using var other = StartInPseudoTerminal(attach, outerTmux: string.Empty);
        using var elsewhere = StartInPseudoTerminal(attachKept, outerTmux: string.Empty);
        await Host.Notifications.WaitForSessionsAsync(
            list => list.Any(s => s.Name == "pane" && s.AttachedClients == 2) && list.Any(s => s.Name == "kept" && s.AttachedClients == 1), Deadline, "three clients");
        var stalePid = ClientPids().Single(pid => IsDescendantOf(pid, stale.Id));

        // One real client, a process that is no client (this test), and a pid nobody has.
        var result = await Host.CallAsync<DetachClientsResult>("clients/detach", new DetachClientsParams([stalePid, Environment.ProcessId, int.MaxValue]));

        Assert.Equal(1, result.Detached);
        await Host.Notifications.WaitForSessionsAsync(
            list => list.Any(s => s.Name == "pane" && s.AttachedClients == 1) && list.Any(s => s.Name == "kept" && s.AttachedClients == 1), Deadline, "the stale client gone");
        Assert.True(stale.WaitForExit(Deadline), "the detached client's terminal ends");
        Assert.False(other.HasExited);
        Assert.Equal(["kept", "pane"], Tmux.SessionNames().Where(n => n is "kept" or "pane").Order());
    }

    private List<int> ClientPids() =>
        Tmux.Run("list-clients", "-F", "#{client_pid}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    private static bool IsDescendantOf(int pid, int ancestor)
    {
        for (var current = pid; current > 1;)
        {
            if (current == ancestor)
            {
                return true;
            }

            var stat = File.ReadAllText($"/proc/{current}/stat");
            current = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        return false;
    }

    private static Process StartInPseudoTerminal(AttachCommandResult attach, string outerTmux)
    {
        // script(1) gives the attach a real pty; the command line is built from the argv with each word quoted.
        var commandLine = string.Join(' ', new[] { attach.File }.Concat(attach.Args).Select(word => "'" + word.Replace("'", "'\\''") + "'"));
        var start = new ProcessStartInfo("script", ["-qfec", commandLine, "/dev/null"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["TMUX"] = outerTmux;
        foreach (var (key, value) in attach.Env)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
