namespace Plexus.Bench;

/// <summary>What one approach cost over a steady-state window, CPU in percent of one core.</summary>
internal sealed record SteadyState(double ForksPerSecond, double ProcessCpu, double TmuxClientsCpu, double ServerCpu, long MemoryBytes)
{
    public double TotalCpu => ProcessCpu + TmuxClientsCpu + ServerCpu;
}

/// <summary>Latency samples in milliseconds for one kind of event; <see cref="Missed"/> counts samples that timed out.</summary>
internal sealed class LatencySamples
{
    public List<double> Milliseconds { get; } = [];

    public List<string> Missed { get; } = [];

    public int Count => Milliseconds.Count;

    /// <summary>Nearest-rank percentile: with 12 samples p95 is the largest.</summary>
    public double? Percentile(double p)
    {
        if (Milliseconds.Count == 0)
        {
            return null;
        }

        var sorted = Milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

internal sealed class Latencies
{
    public LatencySamples Running { get; } = new();

    public LatencySamples Waiting { get; } = new();

    public LatencySamples Exit { get; } = new();

    public LatencySamples Create { get; } = new();

    /// <summary>From the kill request until the approach's list no longer has the session.</summary>
    public LatencySamples KillListed { get; } = new();

    /// <summary>From the fork of an agent's PermissionRequest hook (the command Plexus attaches) to "waiting".</summary>
    public LatencySamples HookWaiting { get; } = new();

    /// <summary>From the fork of an agent's Stop hook to "idle".</summary>
    public LatencySamples HookIdle { get; } = new();

    /// <summary>A create right after the tmux server went away (last session killed, or kill-server from outside).</summary>
    public LatencySamples CreateAfterServerLoss { get; } = new();
}

/// <summary>Everything measured for one approach at one session count.</summary>
internal sealed record ApproachResult(string Approach, int Sessions, SteadyState Idle, SteadyState Busy, Latencies Latencies, IReadOnlyList<string> Notes);
