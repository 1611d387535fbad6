using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Plexus.Bench;

/// <summary>The benchmark's command line and the durations it implies.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<int> SessionCounts,
    TimeSpan Window,
    TimeSpan Settle,
    int LatencyLanes,
    int CreateSamples,
    string? HostPath,
    string? OutputPath,
    bool HostVerbose,
    string? NativeHostPath = null,
    bool StartupOnly = false)
{
    public const string Usage =
        "usage: plexus-bench [--quick] [--sessions 10,50] [--window SECONDS] [--lanes K] [--host PATH] [--native-host PATH] [--startup-only] [--out FILE] [--host-verbose]\n" +
        "  --quick         smoke run (~1 min): 10 sessions, 3 s windows, 3 latency samples\n" +
        "  --sessions      session counts to run (default 10,50)\n" +
        "  --window        steady-state measuring window in seconds (default 10)\n" +
        "  --lanes         latency samples per kind, run as parallel lanes (default 12)\n" +
        "  --host          the framework-dependent host (default <repo>/out/server/plexus-host)\n" +
        "  --native-host   the native host (default <repo>/out/native/plexus-host when built); the sessions table runs it\n" +
        "  --startup-only  only the start-up and memory table (native beside framework-dependent)\n" +
        "  --out           Markdown output (default <repo>/bench/results/latest.md; quick runs: quick.md)\n" +
        "  --host-verbose  pass --verbose to the host; its stderr log path is printed";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out BenchOptions? options, out string? problem)
    {
        options = null;
        problem = null;
        var quick = args.Contains("--quick");
        var result = quick
            ? new BenchOptions([10], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 3, 3, null, null, false)
            : new BenchOptions([10, 50], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 12, 12, null, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--quick": break;
                    case "--sessions": result = result with { SessionCounts = Value().Split(',').Select(ParseCount).ToArray() }; break;
                    case "--window": result = result with { Window = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) }; break;
                    case "--lanes": result = result with { LatencyLanes = ParseCount(Value()), CreateSamples = Math.Max(result.CreateSamples, 1) }; break;
                    case "--host": result = result with { HostPath = Path.GetFullPath(Value()) }; break;
                    case "--out": result = result with { OutputPath = Path.GetFullPath(Value()) }; break;
                    case "--host-verbose": result = result with { HostVerbose = true }; break;
                    case "--native-host": result = result with { NativeHostPath = Path.GetFullPath(Value()) }; break;
                    case "--startup-only": result = result with { StartupOnly = true }; break;
                    default:
                        problem = $"unknown argument '{args[i]}'";
                        return false;
                }
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
                return false;
            }
        }

        options = result;
        return true;
    }

    private static int ParseCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive count");
}
