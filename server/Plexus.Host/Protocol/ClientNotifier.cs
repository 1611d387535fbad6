using StreamJsonRpc;

namespace Plexus.Host.Protocol;

/// <summary>
/// <see cref="IPlexusClient"/> over a JSON-RPC connection, written by hand: three methods do not need
/// <c>JsonRpc.Attach</c>'s generated proxy, and a plain class needs no runtime code generation. Each call sends
/// one notification with the params object as the whole <c>params</c>, as vscode-jsonrpc expects.
/// </summary>
internal sealed class ClientNotifier(JsonRpc rpc) : IPlexusClient
{
    public Task SessionsChangedAsync(SessionsChangedParams change, CancellationToken cancellationToken) =>
        SendAsync(ClientNotifications.SessionsChanged, change, cancellationToken);

    public Task StatusChangedAsync(StatusChangedParams change, CancellationToken cancellationToken) =>
        SendAsync(ClientNotifications.StatusChanged, change, cancellationToken);

    public Task NotRunningChangedAsync(NotRunningList change, CancellationToken cancellationToken) =>
        SendAsync(ClientNotifications.NotRunningChanged, change, cancellationToken);

    // StreamJsonRpc's notify takes no token: a notification is written whole or not at all, so the token is
    // honoured only before it starts.
    private Task SendAsync(string method, object change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return rpc.NotifyWithParameterObjectAsync(method, change);
    }
}
