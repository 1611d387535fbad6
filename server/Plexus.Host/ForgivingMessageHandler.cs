using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Plexus.Host.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using StreamJsonRpc.Reflection;

namespace Plexus.Host;

/// <summary>
/// LSP-style framing (<c>Content-Length</c> headers) that one bad message cannot end. StreamJsonRpc drops the
/// connection on a body it cannot parse and throws in dispatch on a request without a method, so every body is
/// checked here first: one that is not JSON gets ParseError, one that is not a JSON-RPC 2.0 request gets
/// InvalidRequest (with its id, or no answer for a notification), and reading goes on with the next frame.
/// Only a frame that cannot be skipped (a header that does not parse, a body over <see cref="MaxContentLength"/>,
/// the stream ending inside a frame) throws <see cref="ProtocolViolationException"/>, which ends the connection.
/// </summary>
internal sealed class ForgivingMessageHandler(Stream sendingStream, Stream receivingStream, IJsonRpcMessageFormatter formatter, Predicate<string> accepts)
    : HeaderDelimitedMessageHandler(sendingStream, receivingStream, formatter), IJsonRpcMessageBufferManager
{
    /// <summary>The largest body read; the biggest real message (a scrollback of 10,000 lines) is far smaller.</summary>
    public const int MaxContentLength = 16 * 1024 * 1024;

    // LSP sends two short headers; anything longer is not a client speaking this protocol.
    private const int MaxHeaderLength = 8 * 1024;

    // The body is the message's own copy, so the base class has no pipe buffer to release; the message's parsed
    // document goes back to the pool once the request's arguments are read.
    void IJsonRpcMessageBufferManager.DeserializationComplete(JsonRpcMessage message) =>
        (message as IJsonRpcMessageBufferManager)?.DeserializationComplete(message);

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ReadHeaderAsync(cancellationToken).ConfigureAwait(false) is not { } length)
            {
                return null;
            }

            var body = await ReadBodyAsync(length, cancellationToken).ConfigureAwait(false);
            var (message, refusal) = Admit(body);
            if (message is not null)
            {
                return message;
            }

            if (refusal is { Id: { } id, Error: var error })
            {
                await WriteAsync(new JsonRpcError { RequestId = id, Error = error }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads a header; returns the body's length, or null when the stream ended between frames.</summary>
    private async ValueTask<int?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var reader = Reader!;
        int? contentLength = null;
        var headerLength = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                headerLength += (int)line.Length + 2;
                if (headerLength > MaxHeaderLength)
                {
                    reader.AdvanceTo(buffer.Start);
                    throw new ProtocolViolationException($"a frame's header is longer than {MaxHeaderLength} bytes");
                }

                if (line.IsEmpty)
                {
                    reader.AdvanceTo(buffer.Start);
                    return contentLength ?? throw new ProtocolViolationException("a frame has no Content-Length header");
                }

                contentLength = ParseHeaderLine(Encoding.UTF8.GetString(line)) ?? contentLength;
            }

            if (headerLength + buffer.Length > MaxHeaderLength)
            {
                throw new ProtocolViolationException($"a frame's header is longer than {MaxHeaderLength} bytes");
            }

            if (read.IsCompleted)
            {
                if (headerLength == 0 && buffer.IsEmpty)
                {
                    return null;
                }

                throw new ProtocolViolationException("the input ended inside a frame's header");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async ValueTask<byte[]> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        var reader = Reader!;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length >= length)
            {
                // A copy, so the message owns its bytes and the pipe can move on at once.
                var body = read.Buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(read.Buffer.GetPosition(length));
                return body;
            }

            if (read.IsCompleted)
            {
                throw new ProtocolViolationException($"the input ended inside a frame's body ({read.Buffer.Length} of {length} bytes)");
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var lineReader = new SequenceReader<byte>(buffer);
        if (lineReader.TryReadTo(out line, "\r\n"u8))
        {
            buffer = buffer.Slice(lineReader.Position);
            return true;
        }

        return false;
    }

    /// <summary>The value of a Content-Length header; null for any other header (Content-Type is UTF-8 JSON here).</summary>
    private static int? ParseHeaderLine(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ProtocolViolationException($"a header line is not 'Name: value': {Excerpt.Quote(line)}");
        }

        if (!line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var value = line[(colon + 1)..].Trim();
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new ProtocolViolationException($"Content-Length is not a byte count: {Excerpt.Quote(value)}");
        }

        return length <= MaxContentLength
            ? (int)length
            : throw new ProtocolViolationException($"a frame of {length} bytes is over the limit of {MaxContentLength} bytes");
    }

    /// <summary>
    /// The message in <paramref name="body"/> when it is one to dispatch; otherwise why not, and the id to answer
    /// (none for a notification or a response).
    /// </summary>
    private (JsonRpcMessage? Message, Refusal? Refusal) Admit(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            HostLog.Warn($"malformed JSON-RPC message: {ex.Message}");
            return (null, new Refusal(RequestId.Null, JsonRpcErrorCode.ParseError, $"Parse error: {ex.Message}"));
        }

        using (document)
        {
            if (Check(document.RootElement) is { } refusal)
            {
                HostLog.Warn($"invalid JSON-RPC message: {refusal.Error.Message}");
                return (null, refusal);
            }
        }

        try
        {
            return Formatter.Deserialize(new ReadOnlySequence<byte>(body)) switch
            {
                JsonRpcRequest request when !accepts(request.Method!) => (null, new Refusal(
                    request.IsResponseExpected ? request.RequestId : null,
                    JsonRpcErrorCode.InvalidRequest,
                    $"The host is shutting down: after 'shutdown' only 'exit' is accepted, not {Excerpt.Quote(request.Method)}.")),
                JsonRpcRequest request => (request, null),

                // The host sends notifications only, so no response can match a request of its own.
                var response => LogDropped(response),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            HostLog.Warn($"malformed JSON-RPC message: {ex.Message}");
            return (null, new Refusal(RequestId.Null, JsonRpcErrorCode.ParseError, $"Parse error: {Excerpt.Cap(ex.Message)}"));
        }
    }

    private static (JsonRpcMessage?, Refusal?) LogDropped(JsonRpcMessage response)
    {
        HostLog.Warn($"dropped a response to a request the host never sent ({(response as IJsonRpcMessageWithId)?.RequestId})");
        return (null, null);
    }

    /// <summary>What makes <paramref name="root"/> something other than a JSON-RPC 2.0 request, notification or response.</summary>
    private static Refusal? Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new Refusal(RequestId.Null, JsonRpcErrorCode.InvalidRequest, "A message is one JSON object (batches are not supported).");
        }

        var hasMethod = root.TryGetProperty("method", out var method);
        RequestId? id = hasMethod ? null : RequestId.Null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (ReadId(idElement) is not { } validId)
            {
                return new Refusal(RequestId.Null, JsonRpcErrorCode.InvalidRequest, "'id' must be a string, an integer or null.");
            }

            id = validId;
        }

        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return new Refusal(id, JsonRpcErrorCode.InvalidRequest, "'jsonrpc' must be \"2.0\".");
        }

        if (!hasMethod)
        {
            return root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)
                ? null
                : new Refusal(id, JsonRpcErrorCode.InvalidRequest, "A message needs a 'method' (or, as a response, a 'result' or an 'error').");
        }

        if (method.ValueKind != JsonValueKind.String)
        {
            return new Refusal(id, JsonRpcErrorCode.InvalidRequest, "'method' must be a string.");
        }

        if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
        {
            return new Refusal(id, JsonRpcErrorCode.InvalidRequest, "'params' must be an object (or an array).");
        }

        return null;
    }

    private static RequestId? ReadId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => new RequestId(id.GetString()),
        JsonValueKind.Number when id.TryGetInt64(out var number) => new RequestId(number),
        JsonValueKind.Null => RequestId.Null,
        _ => null,
    };

    /// <summary>Why a message is not dispatched; <see cref="Id"/> is null when no answer is due.</summary>
    private sealed record Refusal(RequestId? Id, JsonRpcError.ErrorDetail Error)
    {
        public Refusal(RequestId? id, JsonRpcErrorCode code, string message)
            : this(id, new JsonRpcError.ErrorDetail { Code = code, Message = message })
        {
        }
    }
}

/// <summary>A frame the host cannot skip: the connection ends, and the host exits with a non-zero code.</summary>
internal sealed class ProtocolViolationException(string message) : Exception(message);
