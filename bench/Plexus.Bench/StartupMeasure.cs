using System.Diagnostics;
using System.Globalization;
using System.Text;
using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Bench;

/// <summary>One host build under the start-up measurement: the native (AOT) one or the framework-dependent one.</summary>
internal sealed record HostBuild(string Label, string Path);

/// <summary>Start-up figures of one host build over the samples: spawn → initialize result, spawn → first full list, idle RSS.</summary>
internal sealed record StartupResult(HostBuild Host, LatencySamples Initialize, LatencySamples FirstList, long IdleRssBytes);

/// <summary>
/// How fast a host answers and how much it holds, for each host build, on one private tmux server with N quiet
/// shells. Samples alternate between the builds, so both see the same machine. The clock starts just before the
/// process is spawned, as the extension's does: runtime start, JIT (or none) and the first tmux round trips count.
/// </summary>
internal static class StartupMeasure
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task<IReadOnlyList<StartupResult>> RunAsync(IReadOnlyList<HostBuild> hosts, string tmuxPath, int sessions, int samples, CancellationToken cancellationToken)
    {
        await using var tmux = await BenchTmux.StartAsync(tmuxPath, sessions, cancellationToken).ConfigureAwait(false);
        var results = hosts.ToDictionary(host => host, host => (Initialize: new LatencySamples(), FirstList: new LatencySamples()));
        for (var i = 0; i < samples; i++)
        {
            foreach (var host in hosts)
            {
                await using var started = await StartedHost.StartAsync(host.Path, tmux, sessions, cancellationToken).ConfigureAwait(false);
                results[host].Initialize.Milliseconds.Add(started.InitializeMs);
                results[host].FirstList.Milliseconds.Add(started.FirstListMs);
            }
        }

        var measured = new List<StartupResult>();
        foreach (var host in hosts)
        {
            // Idle: every session judged idle (idleAfter 3 s), then a moment more, then the host's own RSS.
            await using var started = await StartedHost.StartAsync(host.Path, tmux, sessions, cancellationToken).ConfigureAwait(false);
            await started.WaitUntilAllIdleAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            measured.Add(new StartupResult(host, results[host].Initialize, results[host].FirstList, ProcStat.ReadRssBytes(started.Pid)));
        }

        return measured;
    }

    public static string Render(IReadOnlyList<StartupResult> results, int sessions, int samples)
    {
        var native = results.FirstOrDefault(result => result.Host.Label == "native");
        var portable = results.FirstOrDefault(result => result.Host.Label != "native");
        var text = new StringBuilder();
        text.AppendLine($"Start-up and memory, {sessions} quiet sessions, {samples} starts of each host alternating (p50 / p95 in ms):").AppendLine();
        text.AppendLine("| Metric | N | native (AOT) | framework-dependent | framework-dependent ÷ native | target (native) | native |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | :---: |");
        Row("spawn → `initialize` result", result => result.Initialize, "p50 ≤ 50 ms", 50);
        Row("spawn → first full `sessions/changed`", result => result.FirstList, "p50 ≤ 250 ms", 250);
        var nativeRss = native?.IdleRssBytes;
        var portableRss = portable?.IdleRssBytes;
        text.AppendLine(
            $"| host RSS, idle | {sessions} | {Megabytes(nativeRss)} | {Megabytes(portableRss)} | {Ratio(portableRss, nativeRss)} | ≤ 30 MB | " +
            $"{(nativeRss is { } rss ? (rss <= 30L * 1024 * 1024 ? "pass" : "**FAIL**") : string.Empty)} |");
        return text.ToString();

        void Row(string label, Func<StartupResult, LatencySamples> pick, string target, double targetMs)
        {
            var n = native is null ? null : pick(native);
            var p = portable is null ? null : pick(portable);
            var verdict = n?.Percentile(50) is { } p50 ? (p50 <= targetMs ? "pass" : "**FAIL**") : string.Empty;
            text.AppendLine($"| {label} | {sessions} | {Latency(n)} | {Latency(p)} | {Ratio(p?.Percentile(50), n?.Percentile(50))} | {target} | {verdict} |");
        }
    }

    private static string Latency(LatencySamples? samples) =>
        samples?.Percentile(50) is { } p50 ? $"{p50.ToString("0", CultureInfo.InvariantCulture)} / {samples.Percentile(95)!.Value.ToString("0", CultureInfo.InvariantCulture)}" : "n/a";

    private static string Megabytes(long? bytes) =>
        bytes is { } value ? (value / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB" : "n/a";

    private static string Ratio(double? over, double? under) =>
        over is { } a && under is { } b && b > 0 ? "×" + (a / b).ToString(a / b >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) : "—";

    /// <summary>A host spawned on the bench's server, initialized, with its first full list seen.</summary>
    private sealed class StartedHost : IAsyncDisposable
    {
        private readonly Process process;
        private readonly JsonRpc rpc;
        private readonly Listener listener;

        private StartedHost(Process process, JsonRpc rpc, Listener listener, double initializeMs, double firstListMs)
        {
            this.process = process;
            this.rpc = rpc;
            this.listener = listener;
            InitializeMs = initializeMs;
            FirstListMs = firstListMs;
        }

        public double InitializeMs { get; }

        public double FirstListMs { get; }

        public int Pid => process.Id;

        public static async Task<StartedHost> StartAsync(string hostPath, BenchTmux tmux, int sessions, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(hostPath) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["--tmux-socket-name", tmux.SocketName, "--tmux-path", tmux.TmuxPath, "--no-session-records"])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Remove("TMUX");
            var listener = new Listener(sessions);
            var clock = Stopwatch.StartNew();
            var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {hostPath}");
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, new SystemTextJsonFormatter { JsonSerializerOptions = PlexusJson.ForClients() }));
            listener.Clock = clock;
            rpc.AddLocalRpcTarget(listener);
            rpc.StartListening();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            await rpc.InvokeWithParameterObjectAsync<InitializeResult>("initialize", new InitializeParams("plexus-bench", 1, new StatusSettings(IdleAfterSeconds: 3)), deadline.Token).ConfigureAwait(false);
            var initializeMs = clock.Elapsed.TotalMilliseconds;
            var firstListMs = await listener.FullList.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            return new StartedHost(process, rpc, listener, initializeMs, firstListMs);
        }

        public Task WaitUntilAllIdleAsync(CancellationToken cancellationToken) => listener.AllIdle.Task.WaitAsync(Deadline, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await rpc.InvokeWithParameterObjectAsync<EmptyResult>("shutdown", new EmptyParams(), deadline.Token).ConfigureAwait(false);
                await rpc.NotifyAsync("exit").ConfigureAwait(false);
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ConnectionLostException or RemoteRpcException)
            {
                process.Kill(entireProcessTree: true);
            }

            rpc.Dispose();
            process.Dispose();
        }
    }

    /// <summary>The notifications the measurement waits for.</summary>
    private sealed class Listener(int sessions)
    {
        public Stopwatch Clock { get; set; } = new();

        public TaskCompletionSource<double> FullList { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AllIdle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [JsonRpcMethod(ClientNotifications.SessionsChanged, UseSingleObjectParameterDeserialization = true)]
        public void SessionsChanged(SessionsChangedParams change)
        {
            if (change.Sessions.Count >= sessions)
            {
                FullList.TrySetResult(Clock.Elapsed.TotalMilliseconds);
                if (change.Sessions.All(session => session.Status == SessionStatus.Idle))
                {
                    AllIdle.TrySetResult();
                }
            }
        }
    }
}
