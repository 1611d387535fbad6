using System.Diagnostics;

namespace Plexus.Bench;

/// <summary>One thing an approach observed about a session, stamped with the bench's clock.</summary>
/// <param name="Kind">A status name ("running", "idle", "waiting", "ended", "error", ...) or "present".</param>
internal sealed record Observation(long At, string Session, string Kind, int? ExitCode = null);

/// <summary>
/// Everything an approach reported, in arrival order, stamped with <see cref="Stopwatch.GetTimestamp"/> when the
/// bench received it. Latencies are waited for with a deadline, never a sleep.
/// </summary>
internal sealed class StatusLog
{
    private readonly Lock gate = new();
    private readonly List<Observation> entries = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(string session, string kind, int? exitCode = null, long? at = null)
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            entries.Add(new Observation(at ?? Stopwatch.GetTimestamp(), session, kind, exitCode));
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>The first observation of <paramref name="session"/> at or after <paramref name="after"/> whose kind is one of <paramref name="kinds"/>; null on timeout.</summary>
    public async Task<Observation?> WaitForAsync(string session, IReadOnlyCollection<string> kinds, long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task next;
            lock (gate)
            {
                next = changed.Task;
                var found = entries.FirstOrDefault(entry => entry.At >= after && entry.Session == session && kinds.Contains(entry.Kind));
                if (found is not null)
                {
                    return found;
                }
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.WhenAny(next, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The latest status kind (anything but "present") reported for each session.</summary>
    public Dictionary<string, string> LatestStatuses()
    {
        lock (gate)
        {
            var latest = new Dictionary<string, string>();
            foreach (var entry in entries.Where(entry => entry.Kind != "present"))
            {
                latest[entry.Session] = entry.Kind;
            }

            return latest;
        }
    }
}
