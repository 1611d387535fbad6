using PolyType;
using StreamJsonRpc;

namespace Plexus.Host.Protocol;

/// <summary>
/// Requests and notifications a client sends to the host (docs/protocol.md). Each request takes one params
/// object; a client that leaves it out gets the method's defaults, or InvalidParams where something is required.
/// </summary>
[GenerateShape(IncludeMethods = MethodShapeFlags.PublicInstance)]
public partial interface IPlexusServer
{
    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    Task<InitializeResult> InitializeAsync(InitializeParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/list", UseSingleObjectParameterDeserialization = true)]
    Task<SessionListResult> ListSessionsAsync(EmptyParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/create", UseSingleObjectParameterDeserialization = true)]
    Task<Session> CreateSessionAsync(CreateSessionParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/kill", UseSingleObjectParameterDeserialization = true)]
    Task<KillResult> KillSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/rename", UseSingleObjectParameterDeserialization = true)]
    Task<Session> RenameSessionAsync(RenameSessionParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/scrollback", UseSingleObjectParameterDeserialization = true)]
    Task<ScrollbackResult> ScrollbackAsync(ScrollbackParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/sendText", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> SendTextAsync(SendTextParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/respawn", UseSingleObjectParameterDeserialization = true)]
    Task<Session> RespawnSessionAsync(RespawnParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/attachCommand", UseSingleObjectParameterDeserialization = true)]
    Task<AttachCommandResult> AttachCommandAsync(AttachCommandParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("clients/find", UseSingleObjectParameterDeserialization = true)]
    Task<FindClientResult> FindClientAsync(FindClientParams? request = null, CancellationToken cancellationToken = default);
    [JsonRpcMethod("clients/detach", UseSingleObjectParameterDeserialization = true)]
    Task<DetachClientsResult> DetachClientsAsync(DetachClientsParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/prompt", UseSingleObjectParameterDeserialization = true)]
    Task<PromptResult> PromptAsync(PromptParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/answer", UseSingleObjectParameterDeserialization = true)]
    Task<AnswerResult> AnswerAsync(AnswerParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/notRunning", UseSingleObjectParameterDeserialization = true)]
    Task<NotRunningList> NotRunningAsync(EmptyParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/restore", UseSingleObjectParameterDeserialization = true)]
    Task<Session> RestoreSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/forget", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> ForgetSessionAsync(SessionNameParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("sessions/remember", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> RememberSessionAsync(RememberParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("agents/previewHooks", UseSingleObjectParameterDeserialization = true)]
    Task<HooksPreview> PreviewHooksAsync(PreviewHooksParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("agents/applyHooks", UseSingleObjectParameterDeserialization = true)]
    Task<ApplyHooksResult> ApplyHooksAsync(ApplyHooksParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("shutdown", UseSingleObjectParameterDeserialization = true)]
    Task<EmptyResult> ShutdownAsync(EmptyParams? request = null, CancellationToken cancellationToken = default);

    [JsonRpcMethod("settings/update", UseSingleObjectParameterDeserialization = true)]
    void UpdateSettings(StatusSettings settings);

    [JsonRpcMethod("exit")]
    void Exit();
}
