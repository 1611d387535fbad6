using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// The two ways the host learns what it must: Linux's (a pidfd per pane) and the portable one every Unix has (the
/// subscription's <c>#{pane_dead}</c>), chosen at start and forced with PLEXUS_PORTABLE=1. The whole suite also runs
/// once with the portable path forced (./plexus test); these tests pin each path whatever the suite runs with.
/// </summary>
public sealed class PlatformPathTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();

    public void Dispose() => tmux.Dispose();

    [Theory]
    [InlineData("1", "pane exits via the subscription's #{pane_dead}")]
    [InlineData("0", "pane exits via pidfd")]
    public async Task APaneExit_IsReportedWithItsExitCode_OnEitherPath(string forcePortable, string expectedPath)
    {
        await using var host = await HostProcess.StartAsync(new Dictionary<string, string> { ["PLEXUS_PORTABLE"] = forcePortable }, "--tmux-socket-name", tmux.SocketName);
        await host.InitializeAsync();

        await host.CreateAsync("exits", "sleep 0.5; exit 7");
        var (_, change) = await host.Notifications.WaitForStatusAsync("exits", SessionStatus.Error, Deadline);

        Assert.Equal(7, change.ExitCode);
        Assert.Contains(expectedPath, await File.ReadAllTextAsync(host.LogPath));
    }
}
