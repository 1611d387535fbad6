using StreamJsonRpc;

namespace Plexus.Host.Protocol;

/// <summary>Requests and notifications a client sends to the host (docs/protocol.md).</summary>
public interface IPlexusServer
{
    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    Task<InitializeResult> InitializeAsync(InitializeParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/list", UseSingleObjectParameterDeserialization = true)]
    Task<SessionListResult> ListSessionsAsync(EmptyParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/create", UseSingleObjectParameterDeserialization = true)]
    Task<Session> CreateSessionAsync(CreateSessionParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/kill", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> KillSessionAsync(SessionNameParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/rename", UseSingleObjectParameterDeserialization = true)]
    Task<Session> RenameSessionAsync(RenameSessionParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/scrollback", UseSingleObjectParameterDeserialization = true)]
    Task<ScrollbackResult> ScrollbackAsync(ScrollbackParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/sendText", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> SendTextAsync(SendTextParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/respawn", UseSingleObjectParameterDeserialization = true)]
    Task<Session> RespawnSessionAsync(RespawnParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("sessions/attachCommand", UseSingleObjectParameterDeserialization = true)]
    Task<AttachCommandResult> AttachCommandAsync(AttachCommandParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("shutdown", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> ShutdownAsync(EmptyParams request, CancellationToken cancellationToken);

    [JsonRpcMethod("settings/update", UseSingleObjectParameterDeserialization = true)]
    void UpdateSettings(StatusSettings settings);

    [JsonRpcMethod("exit")]
    void Exit();
}

/// <summary>Notifications the host sends to the client.</summary>
public static class ClientNotifications
{
    public const string SessionsChanged = "sessions/changed";
    public const string StatusChanged = "session/statusChanged";
}
