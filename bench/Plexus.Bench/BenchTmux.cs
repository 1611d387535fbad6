using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace Plexus.Bench;

/// <summary>
/// A private tmux server for one measurement (<c>-L plexus-bench-RANDOM</c>), driven by forking the real tmux.
/// Only this server is ever killed; the user's default server is never touched. The bench's own forks
/// (setup, keystrokes) are not counted against either approach.
/// </summary>
internal sealed class BenchTmux : IAsyncDisposable
{
    /// <summary>A quiet interactive shell: no rc files, so the prompt is the same everywhere.</summary>
    public static readonly string[] QuietShell = ["bash", "--norc", "--noprofile"];

    /// <summary>Ten lines a second, as issue 3's busy scenario.</summary>
    public const string BusyLoop = "while :; do echo line $RANDOM; sleep 0.1; done";

    private BenchTmux(string tmuxPath)
    {
        TmuxPath = tmuxPath;
        SocketName = $"plexus-bench-{Guid.NewGuid():N}"[..21];
    }

    public string TmuxPath { get; }

    public string SocketName { get; }

    public int ServerPid { get; private set; }

    public static string SessionName(int index) => $"s{index:D2}";

    /// <summary>Starts a server with <paramref name="sessions"/> quiet shells named s01, s02, ...</summary>
    public static async Task<BenchTmux> StartAsync(string tmuxPath, int sessions, CancellationToken cancellationToken)
    {
        var tmux = new BenchTmux(tmuxPath);
        await tmux.CreateSessionsAsync(Enumerable.Range(1, sessions).Select(SessionName).ToList(), remainOnExit: false, cancellationToken).ConfigureAwait(false);
        var pid = await tmux.RunAsync(["display-message", "-p", "-t", $"={SessionName(1)}:", "#{pid}"], cancellationToken).ConfigureAwait(false);
        tmux.ServerPid = int.Parse(pid.Trim(), CultureInfo.InvariantCulture);
        return tmux;
    }

    /// <summary>Creates detached quiet shells in one tmux invocation (commands separated by ";").</summary>
    public Task CreateSessionsAsync(IReadOnlyList<string> names, bool remainOnExit, CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        foreach (var name in names)
        {
            Separate(arguments);
            arguments.AddRange(["new-session", "-d", "-s", name, "-x", "200", "-y", "50", .. QuietShell]);
            if (remainOnExit)
            {
                // As Plexus sets it on the sessions it creates: the exited program stays, with its exit status.
                arguments.AddRange([";", "set-option", "-w", "-t", $"={name}:", "remain-on-exit", "on"]);
            }
        }

        return RunAsync(arguments, cancellationToken);
    }

    /// <summary>Types <paramref name="text"/> literally into each session's active pane, then Enter.</summary>
    public Task TypeLineAsync(IEnumerable<string> sessions, string text, CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        foreach (var session in sessions)
        {
            Separate(arguments);
            arguments.AddRange(["send-keys", "-t", $"={session}:", "-l", text, ";", "send-keys", "-t", $"={session}:", "Enter"]);
        }

        return RunAsync(arguments, cancellationToken);
    }

    public Task SendKeyAsync(IEnumerable<string> sessions, string key, CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        foreach (var session in sessions)
        {
            Separate(arguments);
            arguments.AddRange(["send-keys", "-t", $"={session}:", key]);
        }

        return RunAsync(arguments, cancellationToken);
    }

    /// <summary>Runs tmux on the private socket; a non-zero exit is an error here (the bench set everything up).</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap(TmuxPath)
            .WithArguments(["-L", SocketName, .. arguments])
            .WithEnvironmentVariables(env => env.Set("TMUX", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"tmux {string.Join(' ', arguments.Take(4))}... failed: {result.StandardError.Trim()}");
    }

    /// <summary>Names of the sessions now on the server; none when it is gone.</summary>
    public async Task<IReadOnlyList<string>> SessionNamesAsync(CancellationToken cancellationToken) =>
        (await ForkAsync(["list-sessions", "-F", "#{session_name}"], cancellationToken).ConfigureAwait(false)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The oldest or the newest session by creation time.</summary>
    public async Task<string> SessionByAgeAsync(bool oldest, CancellationToken cancellationToken)
    {
        var rows = (await RunAsync(["list-sessions", "-F", "#{session_created} #{session_id} #{session_name}"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .OrderBy(fields => long.Parse(fields[0], CultureInfo.InvariantCulture))
            .ThenBy(fields => int.Parse(fields[1][1..], CultureInfo.InvariantCulture))
            .ToList();
        return (oldest ? rows[0] : rows[^1])[2];
    }

    /// <summary>Kills this private server and removes its socket file, which tmux 3.3a leaves behind.</summary>
    public async Task KillServerAsync(CancellationToken cancellationToken)
    {
        var socket = (await ForkAsync(["display-message", "-p", "#{socket_path}"], cancellationToken).ConfigureAwait(false)).StandardOutput.Trim();
        await ForkAsync(["kill-server"], cancellationToken).ConfigureAwait(false);
        if (socket.Length > 0)
        {
            File.Delete(socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var socket = Path.Combine(Environment.GetEnvironmentVariable("TMUX_TMPDIR") ?? "/tmp", $"tmux-{GetUserId()}", SocketName);
        await ForkAsync(["kill-server"], CancellationToken.None).ConfigureAwait(false);
        File.Delete(socket);
    }

    private Task<BufferedCommandResult> ForkAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Cli.Wrap(TmuxPath)
            .WithArguments(["-L", SocketName, .. arguments])
            .WithEnvironmentVariables(env => env.Set("TMUX", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .Task;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUserId();

    private static void Separate(List<string> arguments)
    {
        if (arguments.Count > 0)
        {
            arguments.Add(";");
        }
    }
}
