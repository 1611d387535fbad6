using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Plexus.Bench;

// Plexus vs a naive polling baseline (issue 3, "Benchmark"): forks, CPU, memory and status latencies for N
// sessions, each approach on its own private tmux server, one after the other, printed as one Markdown table.
if (!BenchOptions.TryParse(args, out var options, out var problem))
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var repository = FindRepository();
var portableHostPath = options.HostPath ?? Path.Combine(repository, "out", "server", "plexus-host");
if (!File.Exists(portableHostPath))
{
    Console.Error.WriteLine($"No published host at {portableHostPath}. Run: ./plexus build");
    return 1;
}

var nativeHostPath = options.NativeHostPath ?? Path.Combine(repository, "out", "native", "plexus-host");
List<HostBuild> hostBuilds = [.. File.Exists(nativeHostPath) ? [new HostBuild("native", nativeHostPath)] : Array.Empty<HostBuild>(), new HostBuild("framework-dependent", portableHostPath)];

// The sessions table runs the host a platform VSIX ships where one was built.
var hostPath = hostBuilds[0].Path;
foreach (var build in hostBuilds)
{
    WarnIfStale(build.Path, Path.Combine(repository, "server", "Plexus.Host"));
}
var tmuxPath = FindOnPath("tmux");
if (tmuxPath is null)
{
    Console.Error.WriteLine("tmux not found — install it with `apt install tmux`.");
    return 1;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var workDirectory = Directory.CreateTempSubdirectory("plexus-bench-").FullName;
var laneScript = Path.Combine(workDirectory, "lane.sh");
await File.WriteAllTextAsync(
    laneScript,
    """
    # A program that works (10 lines/s) until Enter, then asks and exits 3 on any answer.
    while ! read -r -t 0.1 _; do echo "working line $RANDOM"; done
    printf 'Apply these changes? [y/N] '
    read -r _
    exit 3

    """,
    cancel.Token);

var machine = await DescribeMachineAsync(tmuxPath, cancel.Token);
Console.Error.WriteLine($"plexus-bench: {machine}");
Console.Error.WriteLine($"host {hostPath}; work files in {workDirectory}");

var startedAt = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
var runner = new Runner(options, tmuxPath, hostPath, workDirectory, laneScript);
var results = new List<ApproachResult>();
var startupSessions = options.SessionCounts.Max();
IReadOnlyList<StartupResult> startup;
try
{
    Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] start-up: {string.Join(" and ", hostBuilds.Select(build => build.Label))} hosts, N={startupSessions}, {options.LatencyLanes} starts each");
    startup = await StartupMeasure.RunAsync(hostBuilds, tmuxPath, startupSessions, options.LatencyLanes, cancel.Token);
    foreach (var sessions in options.StartupOnly ? [] : options.SessionCounts)
    {
        foreach (var approach in (string[])["Plexus", "naive"])
        {
            results.Add(await runner.RunAsync(approach, sessions, cancel.Token));
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled; the private tmux servers were killed");
    return 130;
}

var startupTable = StartupMeasure.Render(startup, startupSessions, options.LatencyLanes);
var report = options.StartupOnly
    ? $"# Plexus start-up benchmark\n\nRun {startedAt:yyyy-MM-dd HH:mm} UTC on {machine}.\n\n{startupTable}"
    : Report.Render(machine, options, results, startedAt, clock.Elapsed) + "\n## Start-up and memory: native beside framework-dependent\n\n" + startupTable;
Console.WriteLine(report);
var output = options.OutputPath ?? Path.Combine(repository, "bench", "results", options.StartupOnly ? "startup.md" : options.Window.TotalSeconds < 10 ? "quick.md" : "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report, cancel.Token);
Console.Error.WriteLine($"written to {output}");
return 0;

static string FindRepository()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "plexus-vscode.sln")))
            {
                return directory.FullName;
            }
        }
    }

    return Environment.CurrentDirectory;
}

static void WarnIfStale(string hostPath, string sourceDirectory)
{
    if (!Directory.Exists(sourceDirectory))
    {
        return;
    }

    var newestSource = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
        .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(File.GetLastWriteTimeUtc)
        .DefaultIfEmpty()
        .Max();
    if (newestSource > File.GetLastWriteTimeUtc(hostPath))
    {
        Console.Error.WriteLine("warning: server/Plexus.Host changed after the host was published; run ./plexus build");
    }
}

static string? FindOnPath(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);

static async Task<Machine> DescribeMachineAsync(string tmuxPath, CancellationToken cancellationToken)
{
    var cpu = (await File.ReadAllLinesAsync("/proc/cpuinfo", cancellationToken))
        .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
        .Split(':', 2)[1].Trim() ?? "unknown CPU";
    return new Machine(
        Environment.ProcessorCount,
        cpu,
        await OutputOfAsync(tmuxPath, ["-V"], cancellationToken),
        await OutputOfAsync("dotnet", ["--version"], cancellationToken),
        (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", cancellationToken)).Trim());
}

static async Task<string> OutputOfAsync(string program, string[] arguments, CancellationToken cancellationToken)
{
    var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
        .ExecuteBufferedAsync(cancellationToken);
    return result.StandardOutput.Trim();
}
