using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>Records the host's notifications; tests wait on them with a deadline instead of sleeping.</summary>
public sealed class NotificationLog
{
    private readonly Lock gate = new();
    private readonly List<(DateTimeOffset At, IReadOnlyList<Session> Sessions)> sessionLists = [];
    private readonly List<(DateTimeOffset At, StatusChangedParams Change)> statusChanges = [];
    private readonly List<IReadOnlyList<SessionRecord>> notRunningLists = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Session> LatestSessions
    {
        get
        {
            lock (gate)
            {
                return sessionLists.Count == 0 ? [] : sessionLists[^1].Sessions;
            }
        }
    }

    /// <summary>Every published session list, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<Session>> SessionChanges
    {
        get
        {
            lock (gate)
            {
                return sessionLists.Select(list => list.Sessions).ToList();
            }
        }
    }

    public IReadOnlyList<(DateTimeOffset At, StatusChangedParams Change)> StatusChanges
    {
        get
        {
            lock (gate)
            {
                return statusChanges.ToList();
            }
        }
    }

    [JsonRpcMethod(ClientNotifications.SessionsChanged, UseSingleObjectParameterDeserialization = true)]
    public void OnSessionsChanged(SessionsChangedParams change)
    {
        lock (gate)
        {
            sessionLists.Add((DateTimeOffset.UtcNow, change.Sessions));
            Signal();
        }
    }

    /// <summary>Every published not-running list, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<SessionRecord>> NotRunningChanges
    {
        get
        {
            lock (gate)
            {
                return notRunningLists.ToList();
            }
        }
    }

    [JsonRpcMethod(ClientNotifications.NotRunningChanged, UseSingleObjectParameterDeserialization = true)]
    public void OnNotRunningChanged(NotRunningList change)
    {
        lock (gate)
        {
            notRunningLists.Add(change.Sessions);
            Signal();
        }
    }

    [JsonRpcMethod(ClientNotifications.StatusChanged, UseSingleObjectParameterDeserialization = true)]
    public void OnStatusChanged(StatusChangedParams change)
    {
        lock (gate)
        {
            statusChanges.Add((DateTimeOffset.UtcNow, change));
            Signal();
        }
    }

    /// <summary>Waits until the latest session list satisfies <paramref name="predicate"/>; fails after the deadline.</summary>
    public Task<IReadOnlyList<Session>> WaitForSessionsAsync(Func<IReadOnlyList<Session>, bool> predicate, TimeSpan timeout, string what) =>
        WaitForAsync(() => LatestSessions is var sessions && predicate(sessions) ? sessions : null, timeout, what);

    /// <summary>Waits for a status change of <paramref name="name"/> to <paramref name="status"/> after <paramref name="after"/>.</summary>
    public async Task<(DateTimeOffset At, StatusChangedParams Change)> WaitForStatusAsync(string name, SessionStatus status, TimeSpan timeout, DateTimeOffset? after = null)
    {
        var since = after ?? DateTimeOffset.MinValue;
        var found = await WaitForAsync(
            () => StatusChanges.Where(entry => entry.At >= since && entry.Change.Name == name && entry.Change.Status == status).Select(entry => (object?)entry).FirstOrDefault(),
            timeout,
            $"'{name}' to become {status}");
        return ((DateTimeOffset, StatusChangedParams))found;
    }

    public async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Task next;
            lock (gate)
            {
                next = changed.Task;
            }

            if (probe() is { } result)
            {
                return result;
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var statuses = string.Join(", ", StatusChanges.Select(entry => $"{entry.Change.Name}:{entry.Change.Previous}->{entry.Change.Status}"));
                var sessions = string.Join(", ", LatestSessions.Select(session => $"{session.Name}({session.Status})"));
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}. Sessions: [{sessions}]; status changes: [{statuses}]");
            }

            await Task.WhenAny(next, Task.Delay(left));
        }
    }

    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
