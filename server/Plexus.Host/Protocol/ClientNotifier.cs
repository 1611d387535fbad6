using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
        SendAsync(ClientNotifications.SessionsChanged, change, PlexusJsonContext.Default.SessionsChangedParams, cancellationToken);

    public Task StatusChangedAsync(StatusChangedParams change, CancellationToken cancellationToken) =>
        SendAsync(ClientNotifications.StatusChanged, change, PlexusJsonContext.Default.StatusChangedParams, cancellationToken);

    public Task NotRunningChangedAsync(NotRunningList change, CancellationToken cancellationToken) =>
        SendAsync(ClientNotifications.NotRunningChanged, change, PlexusJsonContext.Default.NotRunningList, cancellationToken);

    // StreamJsonRpc's notify takes no token: a notification is written whole or not at all, so the token is
    // honoured only before it starts. The params go as named arguments already in their wire form (generated
    // serialization), since handing StreamJsonRpc the object itself would make it reflect over its properties.
    private Task SendAsync<T>(string method, T change, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = JsonSerializer.SerializeToElement(change, typeInfo).EnumerateObject().ToList();
        return rpc.NotifyWithParameterObjectAsync(
            method,
            fields.ToDictionary(field => field.Name, field => (object?)field.Value),
            fields.ToDictionary(field => field.Name, _ => typeof(JsonElement)));
    }
}
