using System.Text;
using System.Text.Json;
using Plexus.Host.IntegrationTests.Infrastructure;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// Malformed frames sent through real stdio to a real host: each is answered as JSON-RPC says (or, for a
/// notification, not at all), and the next request is still served. Only a frame the host cannot skip ends
/// it, with a non-zero exit code and the reason on stderr.
/// </summary>
public sealed class ProtocolRobustnessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();

    public void Dispose() => tmux.Dispose();

    public static TheoryData<string, string, int?, string> Corpus() => new()
    {
        // name, raw frame, expected error code (null: no answer), expected id of the answer
        { "not JSON", Frame("{this is not json"), -32700, "null" },
        { "truncated JSON", Frame("""{"jsonrpc":"2.0","id":1,"method":"sessions/list" """), -32700, "null" },
        { "empty body", "Content-Length: 0\r\n\r\n", -32700, "null" },
        { "empty array", Frame("[]"), -32600, "null" },
        { "batch", Frame("""[{"jsonrpc":"2.0","id":2,"method":"sessions/list","params":{}}]"""), -32600, "null" },
        { "number", Frame("42"), -32600, "null" },
        { "null", Frame("null"), -32600, "null" },
        { "empty object", Frame("{}"), -32600, "null" },
        { "method null", Frame("""{"jsonrpc":"2.0","id":11,"method":null,"params":{}}"""), -32600, "11" },
        { "method null, notification", Frame("""{"jsonrpc":"2.0","method":null,"params":{}}"""), null, string.Empty },
        { "method a number", Frame("""{"jsonrpc":"2.0","id":12,"method":123,"params":{}}"""), -32600, "12" },
        { "neither method nor result", Frame("""{"jsonrpc":"2.0","id":13}"""), -32600, "13" },
        { "jsonrpc 1.0", Frame("""{"jsonrpc":"1.0","id":14,"method":"sessions/list","params":{}}"""), -32600, "14" },
        { "jsonrpc missing", Frame("""{"id":15,"method":"sessions/list","params":{}}"""), -32600, "15" },
        { "jsonrpc a number", Frame("""{"jsonrpc":2.0,"id":16,"method":"sessions/list","params":{}}"""), -32600, "16" },
        { "id an object", Frame("""{"jsonrpc":"2.0","id":{"a":1},"method":"sessions/list","params":{}}"""), -32600, "null" },
        { "params a string", Frame("""{"jsonrpc":"2.0","id":17,"method":"sessions/create","params":"x"}"""), -32600, "17" },
        { "params a number", Frame("""{"jsonrpc":"2.0","id":18,"method":"sessions/list","params":5}"""), -32600, "18" },
        { "unknown method", Frame("""{"jsonrpc":"2.0","id":19,"method":"no/such","params":{}}"""), -32601, "19" },
        { "unknown method, string id", Frame("""{"jsonrpc":"2.0","id":"abc","method":"no/such","params":{}}"""), -32601, "\"abc\"" },
        { "unknown notification", Frame("""{"jsonrpc":"2.0","method":"no/such","params":{}}"""), null, string.Empty },
        { "params of the wrong type", Frame("""{"jsonrpc":"2.0","id":21,"method":"sessions/create","params":{"name":123}}"""), -32602, "21" },
        { "a response nobody asked for", Frame("""{"jsonrpc":"2.0","id":22,"result":{}}"""), null, string.Empty },
        {
            "Content-Type header before Content-Length",
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + Frame("""{"jsonrpc":"2.0","id":23,"method":"no/such","params":{}}"""),
            -32601,
            "23"
        },
        { "header names in lower case", Frame("""{"jsonrpc":"2.0","id":24,"method":"no/such","params":{}}""").Replace("Content-Length", "content-length"), -32601, "24" },
    };

    public static TheoryData<string, string, bool> FatalFrames() => new()
    {
        // name, raw bytes, whether stdin is closed after them
        { "length of 2 GB", "Content-Length: 2000000000\r\n\r\n", false },
        { "length one byte over 16 MiB", "Content-Length: 16777217\r\n\r\n", false },
        { "length not a number", "Content-Length: abc\r\n\r\n{}", false },
        { "negative length", "Content-Length: -5\r\n\r\n{}", false },
        { "header without a colon", "Garbage\r\n\r\n{}", false },
        { "no Content-Length", "Content-Type: application/json\r\n\r\n{}", false },
        { "endless header line", "X-Padding: " + new string('a', 100_000), false },
        { "stream ends inside a body", "Content-Length: 100\r\n\r\n{\"jsonrpc\"", true },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task MalformedFrame_IsAnsweredAsJsonRpcSays_AndTheNextRequestIsServed(string name, string frame, int? code, string id)
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-path", "/nonexistent/tmux", "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        var stdout = host.Process.StandardOutput.BaseStream;

        await RawFrames.WriteVerbatimAsync(stdin, frame);
        await RawFrames.WriteAsync(stdin, """{"jsonrpc":"2.0","id":"probe","method":"sessions/list","params":{}}""");
        var (probe, before) = await RawFrames.ReadUntilAnswerAsync(stdout, "probe", Deadline);

        Assert.Equal(1004, RawFrames.ErrorCode(probe));
        if (code is null)
        {
            Assert.True(before.Count == 0, $"{name}: expected no answer, got {string.Join(' ', before)}");
        }
        else
        {
            var answer = Assert.Single(before);
            Assert.Equal(code, RawFrames.ErrorCode(answer));
            Assert.Equal(id, RawFrames.IdText(answer));
            Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
        }

        Assert.False(host.Process.HasExited);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task WholeCorpusThroughOneHost_KeepsTheStreamInStep()
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-path", "/nonexistent/tmux", "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        var stdout = host.Process.StandardOutput.BaseStream;
        var corpus = Corpus().Select(row => (Name: (string)row[0], Frame: (string)row[1], Code: (int?)row[2])).ToList();

        for (var i = 0; i < corpus.Count; i++)
        {
            await RawFrames.WriteVerbatimAsync(stdin, corpus[i].Frame);
            await RawFrames.WriteAsync(stdin, "{\"jsonrpc\":\"2.0\",\"id\":\"probe-" + i + "\",\"method\":\"sessions/list\",\"params\":{}}");
            var (probe, before) = await RawFrames.ReadUntilAnswerAsync(stdout, $"probe-{i}", Deadline);

            Assert.True(RawFrames.ErrorCode(probe) == 1004, $"after '{corpus[i].Name}' the probe got {probe}");
            Assert.True(before.Count == (corpus[i].Code is null ? 0 : 1), $"after '{corpus[i].Name}': {string.Join(' ', before)}");
        }

        Assert.False(host.Process.HasExited);
        await host.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(FatalFrames))]
    public async Task FrameThatCannotBeSkipped_EndsTheHost_WithNonZeroExitCode_AndTheReasonOnStderr(string name, string bytes, bool closeStdin)
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-path", "/nonexistent/tmux", "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;

        try
        {
            await RawFrames.WriteVerbatimAsync(stdin, bytes);
        }
        catch (IOException)
        {
            // The host may stop reading (and exit) before a long header is all written: the pipe breaks.
        }

        if (closeStdin)
        {
            stdin.Close();
        }

        var exitCode = await host.WaitForExitAsync(Deadline);
        var log = await File.ReadAllTextAsync(HostProcess.LogPathOf(host.Process.Id));
        await host.DisposeAsync();

        Assert.True(exitCode != 0, $"{name}: the host exited with 0");
        Assert.Contains("protocol error:", log);
        Assert.True(log.Length < 20_000, $"{name}: the log echoes the input ({log.Length} chars)");
    }

    [Fact]
    public async Task StdinClosedBetweenFrames_EndsTheHostWithZero()
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-path", "/nonexistent/tmux", "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        await RawFrames.WriteAsync(stdin, """{"jsonrpc":"2.0","id":"probe","method":"sessions/list","params":{}}""");
        await RawFrames.ReadUntilAnswerAsync(host.Process.StandardOutput.BaseStream, "probe", Deadline);

        stdin.Close();
        var exitCode = await host.WaitForExitAsync(Deadline);
        await host.DisposeAsync();

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task ErrorMessages_QuoteOnlyAShortPrefix_OfWhatTheyReject()
    {
        tmux.Run("new-session", "-d", "-s", "base", "sleep 300");
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        var stdout = host.Process.StandardOutput.BaseStream;
        var huge = "name-" + new string('x', 1_000_000);

        await RawFrames.WriteAsync(stdin, JsonSerializer.Serialize(new { jsonrpc = "2.0", id = "kill", method = "sessions/kill", @params = new { name = huge } }));
        var (kill, _) = await RawFrames.ReadUntilAnswerAsync(stdout, "kill", Deadline);
        await RawFrames.WriteAsync(stdin, JsonSerializer.Serialize(new { jsonrpc = "2.0", id = "method", method = huge, @params = new { } }));
        var (method, _) = await RawFrames.ReadUntilAnswerAsync(stdout, "method", Deadline);
        await RawFrames.WriteAsync(stdin, JsonSerializer.Serialize(new { jsonrpc = "2.0", id = "cwd", method = "sessions/create", @params = new { name = "ok", cwd = "/" + huge } }));
        var (cwd, _) = await RawFrames.ReadUntilAnswerAsync(stdout, "cwd", Deadline);
        await host.DisposeAsync();

        foreach (var (answer, code) in new[] { (kill, 1002), (method, -32601), (cwd, -32602) })
        {
            Assert.Equal(code, RawFrames.ErrorCode(answer));
            var message = answer.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Contains("name-xxxxx", message);
            Assert.True(message.Length < 300, $"error {code} echoes {message.Length} chars");
        }
    }

    private static string Frame(string body) => $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
}
