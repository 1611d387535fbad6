using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Plexus.Bench;

/// <summary>
/// How polling tools work: every second fork <c>tmux list-sessions</c> once, then <c>tmux capture-pane -p</c> per
/// session, and hash each screen. A session whose hash changed since the last tick is running, otherwise idle;
/// a dead pane in the list is ended or error. It has no notion of a question waiting for the user.
/// Captures run four at a time, so at 50 sessions a tick still fits in its second.
/// </summary>
internal sealed class NaiveApproach : IApproach
{
    private const int CaptureParallelism = 4;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly BenchTmux tmux;
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, string> statuses = [];
    private readonly Dictionary<string, byte[]> hashes = [];
    private readonly long rssBefore;
    private Task loop = Task.CompletedTask;
    private long forks;
    private long ticks;

    private NaiveApproach(BenchTmux tmux)
    {
        this.tmux = tmux;
        rssBefore = ProcStat.ReadRssBytes(Environment.ProcessId);
    }

    public string Name => "naive";

    public StatusLog Log { get; } = new();

    public long Forks => Interlocked.Read(ref forks);

    /// <summary>Completed polling ticks.</summary>
    public long Ticks => Interlocked.Read(ref ticks);

    /// <summary>It cannot tell a question from a pause: the nearest it gets is calling the session idle.</summary>
    public IReadOnlyCollection<string> WaitingKinds { get; } = ["idle"];

    public static NaiveApproach Start(BenchTmux tmux)
    {
        var approach = new NaiveApproach(tmux);
        approach.loop = approach.RunAsync(approach.stopping.Token);
        return approach;
    }

    /// <summary>The bench process's own CPU (only this loop runs in it while the baseline is measured) and its reaped forks.</summary>
    public ApproachCpu SampleCpu()
    {
        var self = ProcStat.ReadCpu(Environment.ProcessId) ?? default;
        return new ApproachCpu(self.Self, self.ReapedChildren);
    }

    /// <summary>Growth of the bench's RSS since the loop started: a polling loop inside an existing process.</summary>
    public long MemoryBytes() => Math.Max(0, ProcStat.ReadRssBytes(Environment.ProcessId) - rssBefore);

    public async Task CreateAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref forks);
        await tmux.CreateSessionsAsync([name], remainOnExit: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A forked kill-session, then forked list-sessions until the name is gone (the first one already shows it).</summary>
    public async Task KillUntilUnlistedAsync(string name, CancellationToken cancellationToken)
    {
        await ForkAsync(["kill-session", "-t", $"={name}"], cancellationToken).ConfigureAwait(false);
        while ((await ListNamesAsync(cancellationToken).ConfigureAwait(false)).Contains(name))
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> ListsNothingAsync(CancellationToken cancellationToken) =>
        (await ListNamesAsync(cancellationToken).ConfigureAwait(false)).Count == 0;

    public async Task WaitForTicksAsync(int count, CancellationToken cancellationToken)
    {
        var target = Ticks + count;
        while (Ticks < target)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick);
        do
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref ticks);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var list = await ForkAsync(["list-sessions", "-F", "#{session_name}\t#{pane_id}\t#{pane_dead}\t#{pane_dead_status}"], cancellationToken).ConfigureAwait(false);
        var listedAt = Stopwatch.GetTimestamp();
        var rows = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 4)
            .ToList();

        var live = new List<(string Session, string Pane)>();
        foreach (var fields in rows)
        {
            var name = fields[0];
            if (!statuses.ContainsKey(name))
            {
                statuses[name] = "unknown";
                Log.Add(name, "present", at: listedAt);
            }

            if (fields[2] == "1")
            {
                var code = int.TryParse(fields[3], out var value) ? value : (int?)null;
                SetStatus(name, code == 0 ? "ended" : "error", listedAt, code);
            }
            else
            {
                live.Add((name, fields[1]));
            }
        }

        var captures = new (string Session, byte[] Hash, long At)[live.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, live.Count),
            new ParallelOptions { MaxDegreeOfParallelism = CaptureParallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var screen = await ForkAsync(["capture-pane", "-p", "-t", live[index].Pane], token).ConfigureAwait(false);
                captures[index] = (live[index].Session, SHA256.HashData(Encoding.UTF8.GetBytes(screen)), Stopwatch.GetTimestamp());
            }).ConfigureAwait(false);

        foreach (var (session, hash, at) in captures)
        {
            var changed = hashes.TryGetValue(session, out var previous) && !previous.AsSpan().SequenceEqual(hash);
            hashes[session] = hash;
            SetStatus(session, changed ? "running" : "idle", at);
        }
    }

    private void SetStatus(string session, string status, long at, int? exitCode = null)
    {
        if (statuses.GetValueOrDefault(session) != status)
        {
            statuses[session] = status;
            Log.Add(session, status, exitCode, at);
        }
    }

    private async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) =>
        (await ForkAsync(["list-sessions", "-F", "#{session_name}"], cancellationToken).ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task<string> ForkAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref forks);
        var result = await Cli.Wrap(tmux.TmuxPath)
            .WithArguments(["-L", tmux.SocketName, .. arguments])
            .WithEnvironmentVariables(env => env.Set("TMUX", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);
        return result.StandardOutput;
    }
}
