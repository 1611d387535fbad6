using System.Diagnostics;
using CliWrap;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;

namespace Plexus.Bench;

/// <summary>The two kinds of measurement: cost over a quiet window, and latency from a cause to its report.</summary>
internal static class Measure
{
    /// <summary>How long a shell must have been quiet before a "running" sample starts: idleAfter (3 s) plus a margin.</summary>
    private static readonly TimeSpan QuietBeforeTrigger = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Forks, CPU and memory of <paramref name="approach"/> and the tmux server over <paramref name="window"/>.</summary>
    public static async Task<SteadyState> SteadyStateAsync(IApproach approach, BenchTmux tmux, TimeSpan window, CancellationToken cancellationToken)
    {
        var forks = approach.Forks;
        var cpu = approach.SampleCpu();
        var server = ProcStat.ReadCpu(tmux.ServerPid) ?? default;
        var started = Stopwatch.GetTimestamp();

        await Task.Delay(window, cancellationToken).ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuAfter = approach.SampleCpu();
        var serverAfter = ProcStat.ReadCpu(tmux.ServerPid) ?? default;
        var forksAfter = approach.Forks;
        return new SteadyState(
            ForksPerSecond: (forksAfter - forks) / elapsed.TotalSeconds,
            ProcessCpu: ProcStat.Percent(cpuAfter.Process - cpu.Process, elapsed),
            TmuxClientsCpu: ProcStat.Percent(cpuAfter.TmuxClients - cpu.TmuxClients, elapsed),
            ServerCpu: ProcStat.Percent(serverAfter.Self - server.Self, elapsed),
            MemoryBytes: approach.MemoryBytes());
    }

    /// <summary>
    /// Runs one sample of each status latency in every lane at once, each lane starting at a random offset so the
    /// samples fall at different phases of tmux's 1 s subscription timer and of the poller's tick. A lane is a
    /// quiet shell (created through Plexus for Plexus; with remain-on-exit on for the poller) made to print 10 lines/s, then to ask
    /// "[y/N]", then to exit 3. Each latency runs from just before the bench forks the tmux command that causes
    /// the event to the moment the bench receives the report.
    /// </summary>
    public static async Task LanesAsync(IApproach approach, BenchTmux tmux, int lanes, string script, Latencies latencies, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(1, lanes).Select(index => $"lane{index:D2}").ToList();
        var created = Stopwatch.GetTimestamp();
        if (approach is PlexusApproach plexus)
        {
            // Agents' sessions are made by Plexus, which sets them up (remain-on-exit, automatic-rename, ...).
            foreach (var name in names)
            {
                await plexus.CreateSessionAsync(name, string.Join(' ', BenchTmux.QuietShell), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await tmux.CreateSessionsAsync(names, remainOnExit: true, cancellationToken).ConfigureAwait(false);
        }
        var results = await Task.WhenAll(names.Select(name => LaneAsync(approach, tmux, name, created, script, cancellationToken))).ConfigureAwait(false);
        lock (latencies)
        {
            foreach (var (running, waiting, exit) in results)
            {
                Add(latencies.Running, running);
                Add(latencies.Waiting, waiting);
                Add(latencies.Exit, exit);
            }
        }
    }

    /// <summary>Sessions created outside the approach, one after another at random spacing, until it lists each.</summary>
    public static async Task ExternalCreatesAsync(IApproach approach, BenchTmux tmux, int samples, LatencySamples into, CancellationToken cancellationToken)
    {
        for (var index = 1; index <= samples; index++)
        {
            await Task.Delay(Random.Shared.Next(300, 1000), cancellationToken).ConfigureAwait(false);
            var name = $"ext{index:D2}";
            var before = Stopwatch.GetTimestamp();
            await tmux.CreateSessionsAsync([name], remainOnExit: false, cancellationToken).ConfigureAwait(false);
            var seen = await approach.Log.WaitForAsync(name, ["present"], before, StatusTimeout, cancellationToken).ConfigureAwait(false);
            Add(into, (Since(before, seen), $"{name} not listed"));
        }
    }

    /// <summary>
    /// An agent announcing a permission prompt, then the end of its turn, through the very hook command Plexus attaches
    /// to the agents it starts (<see cref="HookCommand"/>), run with a session pane's environment; each timed from the
    /// hook's fork to the status Plexus reports. Only Plexus has hooks: a poller sees a prompt only on the screen.
    /// </summary>
    public static async Task HooksAsync(PlexusApproach plexus, BenchTmux tmux, int samples, Latencies latencies, CancellationToken cancellationToken)
    {
        const string permission = """{"session_id":"bench","hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"rm -rf build"}}""";
        const string stop = """{"session_id":"bench","hook_event_name":"Stop"}""";
        var server = (await tmux.RunAsync(["display-message", "-p", "#{socket_path},#{pid},0"], cancellationToken).ConfigureAwait(false)).Trim();
        for (var index = 1; index <= samples; index++)
        {
            var name = $"hook{index:D2}";
            var created = Stopwatch.GetTimestamp();
            await plexus.CreateAsync(name, cancellationToken).ConfigureAwait(false);
            await plexus.Log.WaitForAsync(name, ["idle"], created, StatusTimeout, cancellationToken).ConfigureAwait(false);
            var pane = (await tmux.RunAsync(["display-message", "-p", "-t", $"={name}:", "#{pane_id}"], cancellationToken).ConfigureAwait(false)).Trim();
            await Task.Delay(Random.Shared.Next(0, 1000), cancellationToken).ConfigureAwait(false);

            var asked = Stopwatch.GetTimestamp();
            await RunHookAsync(server, pane, "PermissionRequest", permission, cancellationToken).ConfigureAwait(false);
            var waiting = await plexus.Log.WaitForAsync(name, ["waiting"], asked, StatusTimeout, cancellationToken).ConfigureAwait(false);
            Add(latencies.HookWaiting, (Since(asked, waiting), $"{name}: no waiting after the PermissionRequest hook"));

            await Task.Delay(Random.Shared.Next(200, 700), cancellationToken).ConfigureAwait(false);
            var stopped = Stopwatch.GetTimestamp();
            await RunHookAsync(server, pane, "Stop", stop, cancellationToken).ConfigureAwait(false);
            var idle = await plexus.Log.WaitForAsync(name, ["idle"], stopped, StatusTimeout, cancellationToken).ConfigureAwait(false);
            Add(latencies.HookIdle, (Since(stopped, idle), $"{name}: no idle after the Stop hook"));
        }
    }

    /// <summary>
    /// Kills, each timed from the request until the approach's own list no longer has the session: half of them the
    /// oldest session (where Plexus's control client sits), half the newest.
    /// </summary>
    public static async Task KillsAsync(IApproach approach, BenchTmux tmux, int samples, LatencySamples into, CancellationToken cancellationToken)
    {
        for (var index = 1; index <= samples; index++)
        {
            var victim = await tmux.SessionByAgeAsync(oldest: index % 2 == 1, cancellationToken).ConfigureAwait(false);
            var before = Stopwatch.GetTimestamp();
            await approach.KillUntilUnlistedAsync(victim, cancellationToken).ConfigureAwait(false);
            into.Milliseconds.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }
    }

    /// <summary>
    /// Creates right after the tmux server went away, alternately by killing its last session through the approach
    /// and by <c>kill-server</c> from outside; each timed from the create request to its answer.
    /// </summary>
    public static async Task CreatesAfterServerLossAsync(IApproach approach, BenchTmux tmux, int samples, LatencySamples into, CancellationToken cancellationToken)
    {
        foreach (var name in await tmux.SessionNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            await approach.KillUntilUnlistedAsync(name, cancellationToken).ConfigureAwait(false);
        }

        for (var index = 1; index <= samples; index++)
        {
            var name = $"again{index:D2}";
            var deadline = Stopwatch.GetTimestamp() + (long)(StatusTimeout.TotalSeconds * Stopwatch.Frequency);
            while (!await approach.ListsNothingAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    into.Missed.Add($"{name}: the list never emptied");
                    return;
                }

                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            var before = Stopwatch.GetTimestamp();
            await approach.CreateAsync(name, cancellationToken).ConfigureAwait(false);
            into.Milliseconds.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            if (index % 2 == 1)
            {
                await approach.KillUntilUnlistedAsync(name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tmux.KillServerAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // As an agent runs its hook: sh, the payload on stdin, $TMUX and $TMUX_PANE naming the pane's server and pane.
    private static Task RunHookAsync(string server, string pane, string hookEvent, string payload, CancellationToken cancellationToken) =>
        Cli.Wrap("sh")
            .WithArguments(["-c", HookCommand.For(AgentKind.Claude, hookEvent)])
            .WithEnvironmentVariables(environment => environment.Set("TMUX", server).Set("TMUX_PANE", pane))
            .WithStandardInputPipe(PipeSource.FromString(payload))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);

    private static async Task<((double?, string), (double?, string), (double?, string))> LaneAsync(
        IApproach approach, BenchTmux tmux, string lane, long created, string script, CancellationToken cancellationToken)
    {
        var log = approach.Log;

        // Quiet long enough to be idle, as the approach itself judges, then a random phase.
        var idle = await log.WaitForAsync(lane, ["idle"], created, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        var quietFor = Stopwatch.GetElapsedTime(created);
        await Task.Delay(Max(QuietBeforeTrigger - quietFor, TimeSpan.Zero) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)), cancellationToken).ConfigureAwait(false);
        var notIdle = idle is null ? $"{lane} never idle before the trigger" : null;

        // Output starts: the shell execs a script that prints 10 lines/s until Enter.
        var startAt = Stopwatch.GetTimestamp();
        await tmux.TypeLineAsync([lane], $"exec bash {script}", cancellationToken).ConfigureAwait(false);
        var running = await log.WaitForAsync(lane, ["running"], startAt, StatusTimeout, cancellationToken).ConfigureAwait(false);

        await Task.Delay(1500 + Random.Shared.Next(0, 1000), cancellationToken).ConfigureAwait(false);

        // A prompt appears: Enter ends the loop and the script prints "[y/N]" and waits.
        var promptAt = Stopwatch.GetTimestamp();
        await tmux.SendKeyAsync([lane], "Enter", cancellationToken).ConfigureAwait(false);
        var waiting = await log.WaitForAsync(lane, approach.WaitingKinds, promptAt, StatusTimeout, cancellationToken).ConfigureAwait(false);
        var waitingMiss = waiting is null ? $"{lane}: after the prompt it reported {log.LatestStatuses().GetValueOrDefault(lane, "nothing")}" : string.Empty;

        await Task.Delay(Random.Shared.Next(200, 700), cancellationToken).ConfigureAwait(false);

        // The program exits: answering "n" makes the script exit 3.
        var exitAt = Stopwatch.GetTimestamp();
        await tmux.TypeLineAsync([lane], "n", cancellationToken).ConfigureAwait(false);
        var exit = await log.WaitForAsync(lane, ["ended", "error"], exitAt, StatusTimeout, cancellationToken).ConfigureAwait(false);

        return (
            (notIdle is null ? Since(startAt, running) : null, notIdle ?? $"{lane}: no running report"),
            (Since(promptAt, waiting), waitingMiss),
            (Since(exitAt, exit), $"{lane}: no exit report"));
    }

    private static void Add(LatencySamples samples, (double? Milliseconds, string Why) sample)
    {
        if (sample.Milliseconds is { } value)
        {
            samples.Milliseconds.Add(value);
        }
        else
        {
            samples.Missed.Add(sample.Why);
        }
    }

    private static double? Since(long before, Observation? observation) =>
        observation is null ? null : Stopwatch.GetElapsedTime(before, observation.At).TotalMilliseconds;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
