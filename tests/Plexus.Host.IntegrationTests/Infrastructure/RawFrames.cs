using System.Text;
using System.Text.Json;

namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>
/// Frames written and read by hand, byte for byte, for tests that send what no well-behaved client would:
/// a JSON-RPC library on the test side would refuse to produce most of them.
/// </summary>
public static class RawFrames
{
    /// <summary>Writes <paramref name="json"/> with a correct Content-Length header.</summary>
    public static Task WriteAsync(Stream stream, string json) => WriteAsync(stream, Encoding.UTF8.GetBytes(json));

    public static async Task WriteAsync(Stream stream, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    /// <summary>Writes <paramref name="bytes"/> as they are: headers, bodies and all.</summary>
    public static async Task WriteVerbatimAsync(Stream stream, string bytes)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(bytes));
        await stream.FlushAsync();
    }

    /// <summary>Reads one frame's body; fails after <paramref name="timeout"/> or at the end of the stream.</summary>
    public static async Task<JsonElement> ReadAsync(Stream stream, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, deadline.Token);
            header.Append((char)one[0]);
        }

        var length = int.Parse(header.ToString().Split("Content-Length:")[1].Split("\r\n")[0].Trim());
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, deadline.Token);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Reads frames until the answer to <paramref name="id"/> arrives and returns it with every frame that came
    /// before it (answers to earlier requests may come in any order, since requests are served concurrently).
    /// </summary>
    public static async Task<(JsonElement Answer, IReadOnlyList<JsonElement> Before)> ReadUntilAnswerAsync(Stream stream, string id, TimeSpan timeout)
    {
        var before = new List<JsonElement>();
        while (true)
        {
            var frame = await ReadAsync(stream, timeout);
            if (frame.TryGetProperty("id", out var frameId) && frameId.ValueKind == JsonValueKind.String && frameId.GetString() == id)
            {
                return (frame, before);
            }

            before.Add(frame);
        }
    }

    /// <summary>The error code of an error frame, or null for any other frame.</summary>
    public static int? ErrorCode(JsonElement frame) =>
        frame.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : null;

    /// <summary>The raw JSON of a frame's id ("null" for id null, "" when there is none).</summary>
    public static string IdText(JsonElement frame) =>
        frame.TryGetProperty("id", out var id) ? id.GetRawText() : string.Empty;
}
