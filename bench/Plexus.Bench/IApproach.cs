namespace Plexus.Bench;

/// <summary>CPU ticks used so far by an approach's own process and by the tmux clients it forked or keeps.</summary>
internal readonly record struct ApproachCpu(long Process, long TmuxClients);

/// <summary>One way of knowing session statuses, measured the same way as the other.</summary>
internal interface IApproach : IAsyncDisposable
{
    string Name { get; }

    /// <summary>What it reported, stamped with the bench's clock.</summary>
    StatusLog Log { get; }

    /// <summary>tmux processes it has forked so far.</summary>
    long Forks { get; }

    /// <summary>Status names this approach reports when a program asks a question.</summary>
    IReadOnlyCollection<string> WaitingKinds { get; }

    ApproachCpu SampleCpu();

    /// <summary>Memory attributable to it, in bytes.</summary>
    long MemoryBytes();

    /// <summary>Creates a session running a quiet shell, as a user of this approach would; returns once it exists.</summary>
    Task CreateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Kills a session; returns once this approach's own list no longer shows it.</summary>
    Task KillUntilUnlistedAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether this approach lists no session at all (after the server went away).</summary>
    Task<bool> ListsNothingAsync(CancellationToken cancellationToken);
}
