using StreamJsonRpc;

namespace Plexus.Host.Protocol;

/// <summary>
/// Notifications the host sends to the client (docs/protocol.md); the host sends them through this interface
/// only, so the contract in this direction is one place too.
/// </summary>
public interface IPlexusClient
{
    [JsonRpcMethod(ClientNotifications.SessionsChanged, UseSingleObjectParameterDeserialization = true)]
    Task SessionsChangedAsync(SessionsChangedParams change, CancellationToken cancellationToken);

    [JsonRpcMethod(ClientNotifications.StatusChanged, UseSingleObjectParameterDeserialization = true)]
    Task StatusChangedAsync(StatusChangedParams change, CancellationToken cancellationToken);

    [JsonRpcMethod(ClientNotifications.NotRunningChanged, UseSingleObjectParameterDeserialization = true)]
    Task NotRunningChangedAsync(NotRunningList change, CancellationToken cancellationToken);
}

/// <summary>The wire names of <see cref="IPlexusClient"/>'s notifications.</summary>
public static class ClientNotifications
{
    public const string SessionsChanged = "sessions/changed";
    public const string StatusChanged = "session/statusChanged";
    public const string NotRunningChanged = "sessions/notRunningChanged";
}
