using System.Text;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>Starting without a server, servers that come and go, bad input, and leaving nothing behind.</summary>
public sealed class HostLifecycleTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();

    public void Dispose() => tmux.Dispose();

    [Fact]
    public async Task Initialize_WithNoServer_ReportsEmptyList_AndStartsNoServer()
    {
        await using var host = await HostProcess.StartAsync("--tmux-socket-name", tmux.SocketName);

        var init = await host.InitializeAsync();

        Assert.Equal(1, init.ProtocolVersion);
        Assert.False(string.IsNullOrEmpty(init.TmuxVersion));
        Assert.False(init.ServerRunning);
        Assert.Empty(await host.ListAsync());
        Assert.NotEqual(0, tmux.Run("has-session").ExitCode);
    }

    [Fact]
    public async Task ServerStartedLater_IsNoticedWithinOneSecond()
    {
        await using var host = await HostProcess.StartInitializedAsync(tmux);

        tmux.Run("new-session", "-d", "-s", "late comer", "sleep 300");

        await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "late comer"), TimeSpan.FromSeconds(1), "the new server's session");
    }

    [Fact]
    public async Task ServerKilledOutside_EmptiesTheList_FailsClearly_AndRecoversWhenItReturns()
    {
        await using var host = await HostProcess.StartInitializedAsync(tmux);
        await host.CreateAsync("first", "sleep 300");

        tmux.Run("kill-server");
        await host.Notifications.WaitForSessionsAsync(list => list.Count == 0, Deadline, "an empty list");
        var code = await host.ErrorCodeOfAsync("sessions/sendText", new SendTextParams("first", "x"));
        tmux.Run("new-session", "-d", "-s", "second", "sleep 300");
        await host.Notifications.WaitForSessionsAsync(list => list.Any(s => s.Name == "second"), Deadline, "the restarted server");

        Assert.Equal(ErrorCodes.TmuxServerUnavailable, code);
    }

    [Fact]
    public async Task SessionsCreatedAndKilledInBursts_WhileTheHostAttaches_LeaveTmuxRunning()
    {
        // tmux 3.3a crashes when sessions come or go during a control client's handshake; the host must
        // attach only once the list has settled. Scripts that start or stop many agents at once do exactly this.
        await using var host = await HostProcess.StartInitializedAsync(tmux);
        var names = Enumerable.Range(1, 8).Select(i => $"burst-{i}").ToArray();

        foreach (var name in names)
        {
            Assert.Equal(0, tmux.Run("new-session", "-d", "-s", name, "sleep 300").ExitCode);
        }

        await host.Notifications.WaitForSessionsAsync(list => names.All(name => list.Any(s => s.Name == name)), Deadline, "the burst of sessions");
        foreach (var name in names.Take(5))
        {
            tmux.Run("kill-session", "-t", "=" + name);
        }

        await host.Notifications.WaitForSessionsAsync(list => list.Count == 3, Deadline, "three sessions left");
        Assert.Equal(names.Skip(5), tmux.SessionNames().Order());
        Assert.Single(tmux.Clients());
    }

    [Fact]
    public async Task Shutdown_DetachesTheControlClient_AndLeavesSessionsRunning()
    {
        var host = await HostProcess.StartInitializedAsync(tmux);
        await host.CreateAsync("survivor", "sleep 300");
        Assert.Single(tmux.Clients());

        await host.ShutdownAsync();
        var exitCode = await host.WaitForExitAsync(Deadline);
        await host.DisposeAsync();

        Assert.Equal(0, exitCode);
        Assert.Empty(tmux.Clients());
        Assert.Contains("survivor", tmux.SessionNames());
    }

    [Fact]
    public async Task ManyHostsComingAndGoing_LeaveNoClientBehind()
    {
        tmux.Run("new-session", "-d", "-s", "base", "sleep 300");
        for (var i = 0; i < 5; i++)
        {
            var host = await HostProcess.StartInitializedAsync(tmux);
            await host.ListAsync();
            if (i % 2 == 0)
            {
                await host.ShutdownAsync();
                await host.WaitForExitAsync(Deadline);
            }
            else
            {
                // Abrupt end: the editor closed the pipe; the host must still detach.
                host.Process.StandardInput.Close();
                await host.WaitForExitAsync(Deadline);
            }

            await host.DisposeAsync();
        }

        Assert.Empty(tmux.Clients());
    }

    [Fact]
    public async Task HostKilled_ItsControlClientGoesToo()
    {
        tmux.Run("new-session", "-d", "-s", "base", "sleep 300");
        var host = await HostProcess.StartInitializedAsync(tmux);
        Assert.Single(tmux.Clients());

        host.Process.Kill();
        await host.WaitForExitAsync(Deadline);
        await host.DisposeAsync();

        var deadline = DateTimeOffset.UtcNow + Deadline;
        while (tmux.Clients().Count > 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the control client outlived the killed host");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task MissingTmux_InitializeSaysSo_AndRequestsFailWithTmuxNotInstalled()
    {
        await using var host = await HostProcess.StartAsync("--tmux-path", "/nonexistent/tmux", "--tmux-socket-name", tmux.SocketName);

        var init = await host.InitializeAsync();
        var code = await host.ErrorCodeOfAsync("sessions/list", new EmptyParams());

        Assert.Null(init.TmuxVersion);
        Assert.Equal(ErrorCodes.TmuxNotInstalled, code);
    }

    [Fact]
    public async Task MalformedJson_GetsParseError_AndTheHostKeepsServing()
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        var stdout = host.Process.StandardOutput.BaseStream;

        await WriteFrameAsync(stdin, "{this is not json");
        await WriteFrameAsync(stdin, """{"jsonrpc":"2.0","id":7,"method":"sessions/list","params":{}}""");
        await WriteFrameAsync(stdin, """{"jsonrpc":"2.0","id":8,"method":"sessions/create","params":null}""");
        // Requests are served concurrently, so the two answers may come in either order.
        var parseError = await ReadFrameAsync(stdout);
        string[] answers = [await ReadFrameAsync(stdout), await ReadFrameAsync(stdout)];

        Assert.Contains("-32700", parseError);
        Assert.Contains(answers, frame => frame.Contains("\"id\":7") && frame.Contains("\"sessions\":[]"));
        Assert.Contains(answers, frame => frame.Contains("\"id\":8") && frame.Contains("\"code\":-32602"));
        Assert.False(host.Process.HasExited);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task ParamsLeftOutOrOfTheWrongShape_GetDefaultsOrInvalidParams_WithoutStackTraces()
    {
        var host = await HostProcess.StartAsync(attachRpc: false, "--tmux-socket-name", tmux.SocketName);
        var stdin = host.Process.StandardInput.BaseStream;
        var stdout = host.Process.StandardOutput.BaseStream;

        await WriteFrameAsync(stdin, """{"jsonrpc":"2.0","id":1,"method":"sessions/list"}""");
        var leftOut = await ReadFrameAsync(stdout);
        await WriteFrameAsync(stdin, """{"jsonrpc":"2.0","id":2,"method":"sessions/create","params":{"name":123}}""");
        var wrongType = await ReadFrameAsync(stdout);

        Assert.Contains("\"sessions\":[]", leftOut);
        Assert.Contains("\"code\":-32602", wrongType);
        Assert.DoesNotContain("   at ", wrongType);
        Assert.DoesNotContain("\"data\"", wrongType);
        await host.DisposeAsync();
    }

    private static async Task WriteFrameAsync(Stream stream, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    /// <summary>Reads the next answer, skipping the notifications the host pushes meanwhile (the first list).</summary>
    private static async Task<string> ReadFrameAsync(Stream stream)
    {
        while (true)
        {
            var frame = await ReadAnyFrameAsync(stream);
            if (!frame.Contains("\"method\"", StringComparison.Ordinal) || frame.Contains("\"id\"", StringComparison.Ordinal))
            {
                return frame;
            }
        }
    }

    private static async Task<string> ReadAnyFrameAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, timeout.Token);
            header.Append((char)one[0]);
        }

        var length = int.Parse(header.ToString().Split("Content-Length:")[1].Split("\r\n")[0].Trim());
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, timeout.Token);
        return Encoding.UTF8.GetString(body);
    }
}
