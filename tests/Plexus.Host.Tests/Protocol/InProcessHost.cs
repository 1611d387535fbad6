using Nerdbank.Streams;
using Plexus.Host.Protocol;
using Plexus.Host.Tmux;
using StreamJsonRpc;

namespace Plexus.Host.Tests.Protocol;

/// <summary>
/// A <see cref="PlexusServer"/> wired as Program wires it, spoken to over an in-memory duplex pipe: protocol
/// behaviour tested in milliseconds, with no process and no tmux (the endpoint has no tmux executable).
/// </summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly PlexusServer server;
    private readonly JsonRpc host;

    private InProcessHost(PlexusServer server, JsonRpc host, JsonRpc client)
    {
        this.server = server;
        this.host = host;
        Client = client;
    }

    public JsonRpc Client { get; }

    public Task ExitRequested => server.ExitRequested;

    public static InProcessHost Start()
    {
        var (hostSide, clientSide) = FullDuplexStream.CreatePair();
        var server = new PlexusServer(new TmuxEndpoint(TmuxPath: null, SocketPath: "/nonexistent/plexus-unit-test"));
        var host = PlexusJsonRpc.Create(hostSide, hostSide, server);
        host.StartListening();
        var client = new JsonRpc(new HeaderDelimitedMessageHandler(clientSide, clientSide, new SystemTextJsonFormatter { JsonSerializerOptions = PlexusJson.ForClients() }));
        client.StartListening();
        return new InProcessHost(server, host, client);
    }

    public async Task<T> CallAsync<T>(string method, object parameters)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Client.InvokeWithParameterObjectAsync<T>(method, parameters, timeout.Token);
    }

    /// <summary>Calls a method that must fail and returns its error code and message.</summary>
    public async Task<(int Code, string Message)> ErrorOfAsync(string method, object? parameters)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => parameters is null
            ? Client.InvokeWithCancellationAsync<object>(method, [], timeout.Token)
            : Client.InvokeWithParameterObjectAsync<object>(method, parameters, timeout.Token));
        Assert.NotNull(error.ErrorCode);
        return ((int)error.ErrorCode.Value, error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        host.Dispose();
        await server.DisposeAsync();
    }
}
