using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Plexus.Host;

/// <summary>
/// LSP-style framing that survives a malformed message. StreamJsonRpc treats a body it cannot parse as fatal
/// and drops the connection; a bad request must never end the host, so such a body is answered with a
/// JSON-RPC parse error (id null, as the spec says) and reading goes on with the next frame. The frame's bytes
/// are consumed whether or not the body parses, so the stream stays in step.
/// </summary>
internal sealed class ForgivingMessageHandler(Stream sendingStream, Stream receivingStream, IJsonRpcMessageFormatter formatter)
    : HeaderDelimitedMessageHandler(sendingStream, receivingStream, formatter)
{
    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                HostLog.Warn($"malformed JSON-RPC message: {ex.Message}");
                var error = new JsonRpcError
                {
                    RequestId = RequestId.Null,
                    Error = new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.ParseError, Message = $"Parse error: {ex.Message}" },
                };
                await WriteAsync(error, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
