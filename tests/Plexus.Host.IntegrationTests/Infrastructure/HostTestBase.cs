namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>
/// A test class that owns a private tmux server and one initialized host for each test, both torn down after
/// it: the host first (it detaches its control client), then the server.
/// </summary>
public abstract class HostTestBase : IAsyncLifetime
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    protected TmuxSandbox Tmux { get; } = new();

    protected HostProcess Host { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Host = await HostProcess.StartInitializedAsync(Tmux);

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Tmux.Dispose();
    }
}
