using System.Diagnostics;
using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Bench;

/// <summary>
/// The real published host, started on the bench's private socket with a tmux wrapper that appends one line
/// per invocation to a counter file and execs the real tmux, so every tmux process the host forks is counted.
/// Spoken to over stdio with StreamJsonRpc, as the integration tests (and the extension) do.
/// </summary>
internal sealed class PlexusApproach : IApproach
{
    private readonly Process process;
    private readonly JsonRpc rpc;
    private readonly string forkLog;
    private readonly StreamWriter hostLog;
    private readonly Notifications notifications;
    private Dictionary<int, long> childrenAtLastSample = [];

    private PlexusApproach(Process process, JsonRpc rpc, string forkLog, StreamWriter hostLog, Notifications notifications, string hostLogPath)
    {
        this.process = process;
        this.rpc = rpc;
        this.forkLog = forkLog;
        this.hostLog = hostLog;
        this.notifications = notifications;
        HostLogPath = hostLogPath;
    }

    public string Name => "Plexus";

    public StatusLog Log => notifications.Log;

    public IReadOnlyCollection<string> WaitingKinds { get; } = ["waiting"];

    public string HostLogPath { get; }

    public int Pid => process.Id;

    /// <summary>Lines in the wrapper's counter file: one per tmux process the host started.</summary>
    public long Forks => File.Exists(forkLog) ? File.ReadLines(forkLog).LongCount() : 0;

    /// <summary>The command lines the host forked, for the report.</summary>
    public IReadOnlyList<string> ForkedCommands => File.Exists(forkLog) ? File.ReadAllLines(forkLog) : [];

    public IReadOnlyList<Session> LatestSessions => notifications.Latest;

    public static async Task<PlexusApproach> StartAsync(string hostPath, BenchTmux tmux, string workDirectory, bool verbose, CancellationToken cancellationToken)
    {
        var forkLog = Path.Combine(workDirectory, $"forks-{tmux.SocketName}.log");
        var wrapper = Path.Combine(workDirectory, $"tmux-counting-{tmux.SocketName}");

        // The host gives its control client a minimal environment (no PATH): absolute paths only.
        await File.WriteAllTextAsync(
            wrapper,
            $"#!/bin/sh\necho \"$*\" >> '{forkLog}'\nexec '{tmux.TmuxPath}' \"$@\"\n",
            cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo(hostPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--tmux-socket-name", tmux.SocketName, "--tmux-path", wrapper])
        {
            start.ArgumentList.Add(argument);
        }

        if (verbose)
        {
            start.ArgumentList.Add("--verbose");
        }

        start.Environment.Remove("TMUX");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {hostPath}");
        var hostLogPath = Path.Combine(workDirectory, $"host-{tmux.SocketName}.log");
        var hostLog = new StreamWriter(hostLogPath) { AutoFlush = true };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (hostLog)
            {
                hostLog.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line.Data}");
            }
        };
        process.BeginErrorReadLine();

        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = PlexusJson.ForClients() };
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, formatter));
        var notifications = new Notifications();
        rpc.AddLocalRpcTarget(notifications);
        rpc.StartListening();
        var approach = new PlexusApproach(process, rpc, forkLog, hostLog, notifications, hostLogPath);
        await rpc.InvokeWithParameterObjectAsync<InitializeResult>(
            "initialize",
            new InitializeParams("plexus-bench", 1, new StatusSettings(IdleAfterSeconds: 3)),
            cancellationToken).ConfigureAwait(false);
        approach.childrenAtLastSample = ProcStat.ChildrenTicks(process.Id);
        return approach;
    }

    /// <summary>The host's own CPU; its tmux clients are the live control client plus any forks it reaped.</summary>
    public ApproachCpu SampleCpu()
    {
        var host = ProcStat.ReadCpu(process.Id) ?? default;
        var children = ProcStat.ChildrenTicks(process.Id);

        // A child that was alive at the last sample and has been reaped since is counted in the host's
        // cutime; counting it here too would count it twice, so only live children are summed.
        childrenAtLastSample = children;
        return new ApproachCpu(host.Self, host.ReapedChildren + children.Values.Sum());
    }

    /// <summary>The host's RSS plus its control client's.</summary>
    public long MemoryBytes() =>
        ProcStat.ReadRssBytes(process.Id) + childrenAtLastSample.Keys.Sum(ProcStat.ReadRssBytes);

    /// <summary>Creates a session through the host, as the extension does (remain-on-exit and the rest set by Plexus).</summary>
    public Task<Session> CreateSessionAsync(string name, string command, CancellationToken cancellationToken) =>
        rpc.InvokeWithParameterObjectAsync<Session>("sessions/create", new CreateSessionParams(name, command, Width: 200, Height: 50), cancellationToken);

    public Task CreateAsync(string name, CancellationToken cancellationToken) =>
        CreateSessionAsync(name, string.Join(' ', BenchTmux.QuietShell), cancellationToken);

    /// <summary>The kill's answer, then the list: a list that still has the session is asked again until it does not.</summary>
    public async Task KillUntilUnlistedAsync(string name, CancellationToken cancellationToken)
    {
        await rpc.InvokeWithParameterObjectAsync<EmptyResult>("sessions/kill", new SessionNameParams(name), cancellationToken).ConfigureAwait(false);
        while ((await rpc.InvokeWithParameterObjectAsync<SessionListResult>("sessions/list", new EmptyParams(), cancellationToken).ConfigureAwait(false)).Sessions.Any(session => session.Name == name))
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> ListsNothingAsync(CancellationToken cancellationToken) => Task.FromResult(notifications.Latest.Count == 0);

    public async Task<bool> WaitUntilAllAsync(IReadOnlyCollection<string> names, SessionStatus status, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var latest = notifications.Latest;
            if (names.All(name => latest.Any(session => session.Name == name && session.Status == status)))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await rpc.InvokeWithParameterObjectAsync<EmptyResult>("shutdown", new EmptyParams(), timeout.Token).ConfigureAwait(false);
            await rpc.NotifyAsync("exit").ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RemoteRpcException or ConnectionLostException or ObjectDisposedException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        rpc.Dispose();
        process.Dispose();
        lock (hostLog)
        {
            hostLog.Dispose();
        }
    }

    /// <summary>The host's notifications, recorded as observations with the bench's clock.</summary>
    private sealed class Notifications
    {
        private readonly HashSet<string> present = [];
        private volatile IReadOnlyList<Session> latest = [];

        public StatusLog Log { get; } = new();

        public IReadOnlyList<Session> Latest => latest;

        [JsonRpcMethod(ClientNotifications.SessionsChanged, UseSingleObjectParameterDeserialization = true)]
        public void OnSessionsChanged(SessionsChangedParams change)
        {
            var at = Stopwatch.GetTimestamp();
            latest = change.Sessions;
            lock (present)
            {
                foreach (var session in change.Sessions.Where(session => present.Add(session.Name)))
                {
                    Log.Add(session.Name, "present", at: at);
                }

                present.IntersectWith(change.Sessions.Select(session => session.Name));
            }
        }

        [JsonRpcMethod(ClientNotifications.StatusChanged, UseSingleObjectParameterDeserialization = true)]
        public void OnStatusChanged(StatusChangedParams change) =>
            Log.Add(change.Name, change.Status.ToString().ToLowerInvariant(), change.ExitCode);
    }
}
