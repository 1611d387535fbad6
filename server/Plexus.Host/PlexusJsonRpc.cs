using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Plexus.Host.Protocol;
using Plexus.Host.Tmux;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Plexus.Host;

/// <summary>
/// The host's JSON-RPC connection, and the one place where a failure becomes a JSON-RPC error: an expected
/// failure keeps its protocol code, params of the wrong shape are InvalidParams, anything else is InternalError
/// (logged with its stack, sent without). Messages are one line, never a stack trace, and never longer than
/// <see cref="Excerpt.MessageLength"/>.
/// </summary>
internal sealed class PlexusJsonRpc : JsonRpc
{
    private PlexusJsonRpc(IJsonRpcMessageHandler handler)
        : base(handler)
    {
        // A request still running when the client goes away has nobody to answer: stop it.
        CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;
    }

    /// <summary>Wires <paramref name="server"/> to a connection over the two streams; the caller starts listening.</summary>
    public static PlexusJsonRpc Create(Stream sending, Stream receiving, PlexusServer server)
    {
        var rpc = new PlexusJsonRpc(new ForgivingMessageHandler(sending, receiving, CreateFormatter(), server.Accepts));
        // Target metadata from the contract's generated shape: no reflection over the interface at run time.
        rpc.AddLocalRpcTarget(RpcTargetMetadata.FromShape<IPlexusServer>(), server, null);
        server.Attach(new ClientNotifier(rpc));
        return rpc;
    }

    // The formatter's constructor is marked as needing dynamic code because it may reflect over types nobody
    // described; here every type on the wire comes from PlexusJsonContext (StreamJsonRpc's NativeAOT guidance).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every payload type is in PlexusJsonContext.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every payload type is in PlexusJsonContext.")]
    private static SystemTextJsonFormatter CreateFormatter() => new() { JsonSerializerOptions = new(PlexusJson.Options) };

    /// <summary>The error a client gets for <paramref name="exception"/> thrown while serving <paramref name="method"/>.</summary>
    internal static JsonRpcError.ErrorDetail Describe(string? method, Exception exception)
    {
        var (code, message) = Cause(exception) switch
        {
            PlexusException expected => (expected.Code, expected.Message),
            TmuxCommandException tmux => Describe(tmux),
            JsonException json => (ErrorCodes.InvalidParams, $"Invalid params for {Excerpt.Quote(method)}: {json.Message}"),
            LocalRpcException local => (local.ErrorCode, local.Message),
            _ => Unexpected(method, exception),
        };
        return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)code, Message = message };
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception) =>
        Describe(request.Method, exception);

    // Every error leaves through here, including those StreamJsonRpc makes itself (MethodNotFound quotes the
    // method name whole): the one place that keeps a huge input from coming back in the message.
    protected override ValueTask SendAsync(JsonRpcMessage message, CancellationToken cancellationToken)
    {
        if (message is JsonRpcError { Error: { Message: { } text } error })
        {
            error.Message = Excerpt.Cap(text);
        }

        return base.SendAsync(message, cancellationToken);
    }

    private static (int Code, string Message) Describe(TmuxCommandException tmux) => tmux switch
    {
        { Failure: TmuxFailure.SessionNotFound, Session: { } name } => (ErrorCodes.SessionNotFound, $"No session is named {Excerpt.Quote(name)}."),
        { Failure: TmuxFailure.SessionExists, Session: { } name } => (ErrorCodes.SessionExists, $"A session named {Excerpt.Quote(name)} already exists."),
        { Failure: TmuxFailure.PaneStillRunning, Session: { } name } =>
            (ErrorCodes.SessionStillRunning, $"The program in session {Excerpt.Quote(name)} is still running; respawn only restarts an exited one."),
        _ => (ErrorCodes.TmuxCommandFailed, $"tmux: {tmux.Message}"),
    };

    private static (int Code, string Message) Unexpected(string? method, Exception exception)
    {
        HostLog.Warn($"{Excerpt.Quote(method)} failed: {exception}");
        return ((int)JsonRpcErrorCode.InternalError, $"{method} failed: {exception.Message}");
    }

    // StreamJsonRpc wraps a params deserialization failure; the JsonException inside says what was wrong.
    private static Exception Cause(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is PlexusException or TmuxCommandException or JsonException)
            {
                return current;
            }
        }

        return exception;
    }
}
