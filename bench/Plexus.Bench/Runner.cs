using Plexus.Host.Protocol;

namespace Plexus.Bench;

/// <summary>
/// Runs one approach at one session count on a fresh private tmux server: idle window, busy window, status
/// latencies, external creates. Approaches run one after the other, never at once, so on two cores neither
/// pays for the other's CPU.
/// </summary>
internal sealed class Runner(BenchOptions options, string tmuxPath, string hostPath, string workDirectory, string laneScript)
{
    public async Task<ApproachResult> RunAsync(string approachName, int sessions, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        await using var tmux = await BenchTmux.StartAsync(tmuxPath, sessions, cancellationToken).ConfigureAwait(false);
        var names = Enumerable.Range(1, sessions).Select(BenchTmux.SessionName).ToList();
        IApproach approach = approachName == "Plexus"
            ? await PlexusApproach.StartAsync(hostPath, tmux, workDirectory, options.HostVerbose, cancellationToken).ConfigureAwait(false)
            : NaiveApproach.Start(tmux);
        await using (approach.ConfigureAwait(false))
        {
            Progress($"{approach.Name,-6} N={sessions}: idle window");
            await SettleAsync(approach, names, SessionStatus.Idle, notes, cancellationToken).ConfigureAwait(false);
            var idle = await Measure.SteadyStateAsync(approach, tmux, options.Window, cancellationToken).ConfigureAwait(false);

            Progress($"{approach.Name,-6} N={sessions}: busy window (10 lines/s each)");
            await tmux.TypeLineAsync(names, BenchTmux.BusyLoop, cancellationToken).ConfigureAwait(false);
            await SettleAsync(approach, names, SessionStatus.Running, notes, cancellationToken).ConfigureAwait(false);
            var busy = await Measure.SteadyStateAsync(approach, tmux, options.Window, cancellationToken).ConfigureAwait(false);
            await StopBusyLoopsAsync(tmux, names, cancellationToken).ConfigureAwait(false);

            Progress($"{approach.Name,-6} N={sessions}: latencies ({options.LatencyLanes} lanes, {options.CreateSamples} external creates)");
            var latencies = new Latencies();
            await Measure.LanesAsync(approach, tmux, options.LatencyLanes, laneScript, latencies, cancellationToken).ConfigureAwait(false);
            await Measure.ExternalCreatesAsync(approach, tmux, options.CreateSamples, latencies.Create, cancellationToken).ConfigureAwait(false);

            if (approach is PlexusApproach hooked)
            {
                Progress($"{approach.Name,-6} N={sessions}: agent hooks ({options.CreateSamples} permission prompts and turn ends)");
                await Measure.HooksAsync(hooked, tmux, options.CreateSamples, latencies, cancellationToken).ConfigureAwait(false);
            }

            // Last: these kill sessions and then the server itself.
            Progress($"{approach.Name,-6} N={sessions}: kills, then creates after the server went away");
            await Measure.KillsAsync(approach, tmux, options.CreateSamples, latencies.KillListed, cancellationToken).ConfigureAwait(false);
            await Measure.CreatesAfterServerLossAsync(approach, tmux, options.CreateSamples, latencies.CreateAfterServerLoss, cancellationToken).ConfigureAwait(false);

            if (approach is PlexusApproach plexus)
            {
                notes.Add($"host log: {plexus.HostLogPath}");
            }

            return new ApproachResult(approach.Name, sessions, idle, busy, latencies, notes);
        }
    }

    /// <summary>Waits until the approach has caught up with the scenario, then a little more.</summary>
    private async Task SettleAsync(IApproach approach, IReadOnlyList<string> names, SessionStatus status, List<string> notes, CancellationToken cancellationToken)
    {
        switch (approach)
        {
            case PlexusApproach plexus:
                if (!await plexus.WaitUntilAllAsync(names, status, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false))
                {
                    notes.Add($"not every session reached {status} before the window");
                }

                break;
            case NaiveApproach naive:
                await naive.WaitForTicksAsync(2, cancellationToken).ConfigureAwait(false);
                break;
        }

        await Task.Delay(options.Settle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ctrl-C, twice: one that lands between two commands of the loop can be swallowed by bash.</summary>
    private static async Task StopBusyLoopsAsync(BenchTmux tmux, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await tmux.SendKeyAsync(names, "C-c", cancellationToken).ConfigureAwait(false);
        await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        await tmux.SendKeyAsync(names, "C-c", cancellationToken).ConfigureAwait(false);
    }

    private static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");
}
