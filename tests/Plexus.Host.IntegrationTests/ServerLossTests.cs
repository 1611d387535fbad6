using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// The flows around a tmux server that goes away and comes back: clean up, then start again; kill the session
/// the host's control client sits in.
/// </summary>
public sealed class ServerLossTests : HostTestBase
{
    // Far above the ~250 ms such a create takes, far below the 5 s a create once waited for a reconnect that
    // had already given up.
    private static readonly TimeSpan CreateDeadline = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task Create_AfterTheLastSessionWasKilled_DoesNotWaitForAReconnect()
    {
        await Host.CreateAsync("only", "sleep 300");
        await Host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams("only"));
        await Host.Notifications.WaitForSessionsAsync(sessions => sessions.Count == 0, Deadline, "the empty list");

        var session = await CreateWithinDeadlineAsync("again");

        Assert.Equal("again", session.Name);
        Assert.Contains("again", Tmux.SessionNames());
    }

    [Fact]
    public async Task Create_AfterTheServerWasKilledOutside_DoesNotWaitForAReconnect()
    {
        await Host.CreateAsync("before", "sleep 300");
        Tmux.Run("kill-server");
        await Host.Notifications.WaitForSessionsAsync(sessions => sessions.Count == 0, Deadline, "the empty list");

        var session = await CreateWithinDeadlineAsync("after");

        Assert.Equal("after", session.Name);
        Assert.Equal(["after"], Tmux.SessionNames());
    }

    [Fact]
    public async Task KillOfTheControlClientsSession_AnswersOnlyOnceTheListIsTrue()
    {
        await Host.CreateAsync("first", "sleep 300");
        await Host.CreateAsync("second", "sleep 300");
        await Host.CreateAsync("third", "sleep 300");
        var hostSession = HostControlSession();
        var victim = (await Host.ListAsync()).Single(session => session.Id == hostSession).Name;
        var changesBefore = Host.Notifications.SessionChanges.Count;

        await Host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams(victim));
        var listed = await Host.ListAsync();

        Assert.DoesNotContain(listed, session => session.Name == victim);
        Assert.All(listed, session => Assert.Equal(0, session.AttachedClients));
        var published = Host.Notifications.SessionChanges.Skip(changesBefore).SelectMany(change => change).ToList();
        Assert.DoesNotContain(published, session => session.Name == victim && session.AttachedClients > 0);
        Assert.All(published, session => Assert.Equal(0, session.AttachedClients));
    }

    [Fact]
    public async Task KillOfTheControlClientsSession_KeepsOneControlClient()
    {
        await Host.CreateAsync("one", "sleep 300");
        await Host.CreateAsync("two", "sleep 300");
        var victim = (await Host.ListAsync()).Single(session => session.Id == HostControlSession()).Name;

        await Host.CallAsync<EmptyResult>("sessions/kill", new SessionNameParams(victim));
        await Host.CreateAsync("three", "sleep 300");

        Assert.Single(Tmux.Clients(), client => client.Contains("control-mode", StringComparison.Ordinal));
        Assert.Equal(2, (await Host.ListAsync()).Count);
    }

    private string HostControlSession() =>
        Tmux.Run("list-clients", "-F", "#{client_control_mode} #{session_id}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Single(line => line.StartsWith("1 ", StringComparison.Ordinal))[2..];

    private async Task<Session> CreateWithinDeadlineAsync(string name)
    {
        using var deadline = new CancellationTokenSource(CreateDeadline);
        return await Host.Rpc.InvokeWithParameterObjectAsync<Session>("sessions/create", new CreateSessionParams(name, "sleep 300"), deadline.Token);
    }
}
