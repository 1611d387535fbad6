using System.Globalization;
using System.Text;

namespace Plexus.Bench;

/// <summary>The machine a run happened on, as the README quotes it.</summary>
internal sealed record Machine(int Cores, string CpuModel, string Tmux, string Dotnet, string Kernel)
{
    public override string ToString() => $"{Cores} cores, {CpuModel}; {Tmux}; .NET SDK {Dotnet}; Linux {Kernel}";
}

/// <summary>Renders the results as one Markdown table, both approaches side by side, targets next to Plexus.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(Machine machine, BenchOptions options, IReadOnlyList<ApproachResult> results, DateTimeOffset startedAt, TimeSpan took)
    {
        var text = new StringBuilder();
        text.AppendLine("# Plexus benchmark").AppendLine();
        text.AppendLine($"Run {startedAt:yyyy-MM-dd HH:mm} UTC in {took.TotalMinutes:0.0} min on {machine}.").AppendLine();
        text.AppendLine(
            $"Each row: one private tmux server per approach and N, N quiet `bash` shells; steady-state windows of {options.Window.TotalSeconds:0} s; " +
            $"busy = every session printing 10 lines/s; latencies from {options.LatencyLanes} samples each (+{options.CreateSamples} external creates), " +
            "idleAfterSeconds = 3. Percentiles are nearest-rank (with 12 samples p95 is the maximum). CPU is % of one core.").AppendLine();
        text.AppendLine("| Metric | N | Plexus | naive poller | naive ÷ Plexus | Plexus target | Plexus |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | :---: |");

        var counts = results.Select(result => result.Sessions).Distinct().Order().ToList();
        foreach (var (label, pick, format, target, pass) in SteadyRows())
        {
            foreach (var n in counts)
            {
                var (plexus, naive) = Pair(results, n);
                var p = pick(plexus);
                var b = pick(naive);
                text.AppendLine($"| {label} | {n} | {format(p)} | {format(b)} | {Ratio(b, p)} | {target} | {(pass is null ? string.Empty : pass(p) ? "pass" : "**FAIL**")} |");
            }
        }

        foreach (var (label, pick, targetText, targetMs) in LatencyRows())
        {
            foreach (var n in counts)
            {
                var (plexus, naive) = Pair(results, n);
                var p = pick(plexus.Latencies);
                var b = pick(naive.Latencies);
                var hook = label.StartsWith("hook", StringComparison.Ordinal);
                var naiveText = hook ? "n/a (no hooks)"
                    : label.Contains("waiting", StringComparison.Ordinal) ? $"n/a (idle: {Latency(b)})"
                    : Latency(b);
                var ratio = hook || label.Contains("waiting", StringComparison.Ordinal) ? "—" : Ratio(b.Percentile(95), p.Percentile(95));
                var verdict = p.Percentile(95) is { } p95 && p.Missed.Count == 0 ? (p95 <= targetMs ? "pass" : "**FAIL**") : "**FAIL**";
                text.AppendLine($"| {label} | {n} | {Latency(p)} | {naiveText} | {ratio} | {targetText} | {verdict} |");
            }
        }

        text.AppendLine();
        text.AppendLine("How to read it:");
        text.AppendLine("- *forks/s*: Plexus = lines its `--tmux-path` wrapper appended (every tmux process the host started); naive = its own count.");
        text.AppendLine("- *client CPU*: the host process vs the bench process while only the poll loop runs in it. *tmux clients*: the host's");
        text.AppendLine("  control client (one long-lived `tmux -C`) vs the forked `list-sessions`/`capture-pane` processes (reaped, from cutime+cstime).");
        text.AppendLine("  *tmux server*: the private server's own CPU (it does the capture work). Shells and the printing loops are not counted.");
        text.AppendLine("- *memory*: Plexus = host + control client RSS; naive = growth of the bench's RSS after its loop ran — a loop inside an");
        text.AppendLine("  already-running process (as in an editor extension) shares its runtime, so the two are not like for like: the host's");
        text.AppendLine("  figure includes its own runtime (compiled in, for the native host; the table at the end has both hosts alone).");
        text.AppendLine("- *latency*: from just before the bench forks the tmux command that causes the event to the moment the bench receives");
        text.AppendLine("  `session/statusChanged` / `sessions/changed` (Plexus) or the poll that first shows it (naive). p50 / p95 in ms.");
        text.AppendLine("  The naive poller cannot recognise a question; its column shows when it calls the prompting session idle.");
        text.AppendLine("- *hook*: the hook command Plexus attaches to Claude Code and Gemini (docs/protocol.md, \"Agent hooks\"), run as");
        text.AppendLine("  an agent runs it (sh, payload on stdin, the pane's $TMUX and $TMUX_PANE), from its fork to the status report.");
        text.AppendLine("- *kill → list without it*: from the kill request until the approach's own list lacks the session (Plexus: the");
        text.AppendLine("  `sessions/kill` answer plus one `sessions/list`; naive: forked `kill-session` plus forked `list-sessions`); odd samples");
        text.AppendLine("  kill the oldest session, the one Plexus's control client sits in. *create after the server went away*: the server");
        text.AppendLine("  was ended by killing its last session through the approach or by `kill-server` from outside, alternately.");

        var misses = results.SelectMany(result => new[] { ("running", result.Latencies.Running), ("waiting", result.Latencies.Waiting), ("exit", result.Latencies.Exit), ("create", result.Latencies.Create), ("create after server loss", result.Latencies.CreateAfterServerLoss), ("hook waiting", result.Latencies.HookWaiting), ("hook idle", result.Latencies.HookIdle) }
            .SelectMany(kind => kind.Item2.Missed.Select(why => $"{result.Approach} N={result.Sessions} {kind.Item1}: {why}"))).ToList();
        var notes = results.SelectMany(result => result.Notes.Select(note => $"{result.Approach} N={result.Sessions}: {note}")).ToList();
        if (misses.Count + notes.Count > 0)
        {
            text.AppendLine().AppendLine("Notes:");
            foreach (var line in misses.Concat(notes))
            {
                text.AppendLine($"- {line}");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Label, Func<ApproachResult, double> Pick, Func<double, string> Format, string Target, Func<double, bool>? Pass)> SteadyRows()
    {
        static string Rate(double value) => value.ToString("0.0", Invariant);
        static string Percent(double value) => value.ToString("0.0", Invariant) + " %";
        static string Megabytes(double value) => (value / (1024 * 1024)).ToString("0.0", Invariant) + " MB";

        yield return ("forked tmux processes/s, idle", r => r.Idle.ForksPerSecond, Rate, "0", value => value == 0);
        yield return ("forked tmux processes/s, busy", r => r.Busy.ForksPerSecond, Rate, string.Empty, null);
        foreach (var (scenario, pick) in new (string, Func<ApproachResult, SteadyState>)[] { ("idle", r => r.Idle), ("busy", r => r.Busy) })
        {
            yield return ($"client CPU (host / poll loop), {scenario}", r => pick(r).ProcessCpu, Percent, string.Empty, null);
            yield return ($"tmux clients CPU, {scenario}", r => pick(r).TmuxClientsCpu, Percent, string.Empty, null);
            yield return ($"tmux server CPU, {scenario}", r => pick(r).ServerCpu, Percent, string.Empty, null);
            yield return ($"**total CPU, {scenario}**", r => pick(r).TotalCpu, Percent, string.Empty, null);
        }

        yield return ("memory (RSS; see note)", r => Math.Max(r.Idle.MemoryBytes, r.Busy.MemoryBytes), Megabytes, string.Empty, null);
    }

    private static IEnumerable<(string Label, Func<Latencies, LatencySamples> Pick, string TargetText, double TargetMs)> LatencyRows()
    {
        yield return ("output starts → running", l => l.Running, "p95 ≤ 1200 ms", 1200);
        yield return ("prompt appears → waiting", l => l.Waiting, "p95 ≤ 4500 ms (idleAfter + 1.5 s)", 4500);
        yield return ("program exits → ended/error", l => l.Exit, "p95 ≤ 200 ms", 200);
        yield return ("session created outside → listed", l => l.Create, "p95 ≤ 200 ms", 200);
        yield return ("hook: permission request → waiting", l => l.HookWaiting, "p95 ≤ 500 ms", 500);
        yield return ("hook: turn ends (Stop) → idle", l => l.HookIdle, "p95 ≤ 500 ms", 500);
        yield return ("kill → list without it", l => l.KillListed, "p95 ≤ 100 ms", 100);
        yield return ("create after the server went away", l => l.CreateAfterServerLoss, "p95 ≤ 400 ms", 400);
    }

    private static (ApproachResult Plexus, ApproachResult Naive) Pair(IReadOnlyList<ApproachResult> results, int n) =>
        (results.Single(r => r.Sessions == n && r.Approach == "Plexus"), results.Single(r => r.Sessions == n && r.Approach == "naive"));

    private static string Latency(LatencySamples samples)
    {
        if (samples.Count == 0)
        {
            return $"none ({samples.Missed.Count} missed)";
        }

        var text = $"{samples.Percentile(50)!.Value.ToString("0", Invariant)} / {samples.Percentile(95)!.Value.ToString("0", Invariant)}";
        return samples.Missed.Count > 0 ? $"{text} ({samples.Missed.Count} missed)" : text;
    }

    private static string Ratio(double? naive, double? plexus)
    {
        if (naive is not { } b || plexus is not { } p)
        {
            return "—";
        }

        if (p <= 0)
        {
            return b > 0 ? "∞" : "—";
        }

        return "×" + (b / p).ToString(b / p >= 10 ? "0" : "0.0", Invariant);
    }
}
