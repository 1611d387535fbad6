using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Plexus.Host;

/// <summary>
/// JSON-RPC with errors a client can act on: params of the wrong shape are InvalidParams with a one-line
/// message, and an unexpected failure is InternalError with its message only; no stack traces on the wire.
/// Expected failures (<see cref="LocalRpcException"/>, made in <see cref="PlexusServer"/>) keep their codes.
/// </summary>
internal sealed class PlexusJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is LocalRpcException)
        {
            return base.CreateErrorDetails(request, exception);
        }

        if (Unwrap(exception) is JsonException json)
        {
            return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"Invalid params for '{request.Method}': {json.Message}" };
        }

        HostLog.Warn($"{request.Method} failed: {exception}");
        return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InternalError, Message = $"{request.Method} failed: {exception.Message}" };
    }

    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is JsonException)
            {
                return current;
            }
        }

        return exception;
    }
}
