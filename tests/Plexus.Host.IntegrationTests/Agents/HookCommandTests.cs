using System.Diagnostics;
using System.Text;
using Plexus.Host.Agents;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests.Agents;

/// <summary>
/// The generated hook command run as an agent runs it: <c>sh -c</c> inside a pane's environment ($TMUX, $TMUX_PANE)
/// of a private tmux server, the payload on stdin.
/// </summary>
public sealed class HookCommandTests : IDisposable
{
    private readonly TmuxSandbox tmux = new();
    private readonly string pane;
    private readonly string socketVariable;

    public HookCommandTests()
    {
        tmux.Run("-f", "/dev/null", "new-session", "-d", "-s", "agents", "-x", "80", "-y", "24", "sleep 300");
        pane = tmux.Run("display-message", "-p", "-t", "=agents:", "#{pane_id}").Output.Trim();
        socketVariable = tmux.Run("display-message", "-p", "-t", "=agents:", "#{socket_path},#{pid},0").Output.Trim();
    }

    public void Dispose() => tmux.Dispose();

    public static TheoryData<string> HostilePayloads => new()
    {
        """{"session_id":"abc","quote":"it's \"quoted\"","slash":"C:\\dir\\"}""",
        """{"cmd":"echo $HOME $(id) `id` ${PATH}"}""",
        """{"fmt":"#{pane_id} #(id) ##[bold] ~/x ~root"}""",
        """{"semi":"a ; b \; c;"}""",
        """{"utf8":"é 日本語 🙂"}""",
        "ends in a semicolon;",
        "ends in an escaped semicolon\\;",
        "-starts-with-a-dash",
        "",
    };

    [Theory]
    [MemberData(nameof(HostilePayloads))]
    public void Payload_RoundTripsThroughThePaneOption(string payload)
    {
        var result = RunHook(AgentKind.Claude, "PreToolUse", payload + "\r\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        var expected = "claude PreToolUse " + payload + (payload.EndsWith(';') ? " " : string.Empty);
        Assert.Equal(expected, ReadOption());
    }

    [Fact]
    public void Payload_LosesLineBreaksAndStopsAt3000Bytes()
    {
        var payload = "{\"a\":\"line\r\nbreak\"," + new string('x', 200_000) + "}";

        var result = RunHook(AgentKind.Gemini, "AfterAgent", payload);

        Assert.Equal(0, result.ExitCode);
        var value = ReadOption();
        Assert.StartsWith("gemini AfterAgent {\"a\":\"linebreak\",xxx", value, StringComparison.Ordinal);
        Assert.Equal("gemini AfterAgent ".Length + HookCommand.MaxPayloadBytes, Encoding.UTF8.GetByteCount(value));
    }

    [Fact]
    public void WithoutTmuxPane_DoesNothingAndExitsZero()
    {
        var result = RunHook(AgentKind.Claude, "Stop", "{}", inPane: false);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Output + result.Error);
        Assert.Equal(string.Empty, ReadOption());
    }

    [Fact]
    public void WithoutTmuxServer_PrintsNothingAndExitsZero()
    {
        var result = RunHook(AgentKind.Claude, "Stop", "{}", socket: "/nonexistent/socket,1,0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Output + result.Error);
    }

    [Fact]
    public async Task Doorbell_ReachesAControlClient_AndKeepsWindowNamesAndAutomaticRename()
    {
        tmux.Run("new-window", "-d", "-t", "=agents:", "sleep 300");
        tmux.Run("rename-window", "-t", "=agents:1", "named by hand");
        var byHand = tmux.Run("display-message", "-p", "-t", "=agents:1", "#{pane_id}").Output.Trim();
        using var client = StartControlClient();
        await client.StandardOutput.ReadLineAsync();

        RunHook(AgentKind.Claude, "Stop", "{}");
        RunHook(AgentKind.Claude, "Stop", "{}", paneId: byHand);
        var renamed = await ReadUntilAsync(client, line => line.StartsWith("%window-renamed", StringComparison.Ordinal), count: 2);

        // How soon it rings is the benchmark's figure ("hook: … → waiting"). The name of the window tmux names itself
        // may still move from the shell to "sleep" at any time, so only the hand-made name is compared.
        Assert.Equal(2, renamed.Count);
        var after = Windows();
        Assert.Matches(@"@0 \S+ automatic-rename=1", after);
        Assert.Contains("named by hand automatic-rename=0", after, StringComparison.Ordinal);
        client.Kill();
    }

    private string Windows() =>
        tmux.Run("list-windows", "-t", "=agents", "-F", "#{window_id} #{window_name} automatic-rename=#{automatic-rename}").Output;

    private string ReadOption() => tmux.Run("show-options", "-p", "-v", "-q", "-t", pane, HookCommand.Option).Output.TrimEnd('\n');

    private TmuxResult RunHook(AgentKind agent, string hookEvent, string stdin, bool inPane = true, string? socket = null, string? paneId = null)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(HookCommand.For(agent, hookEvent));
        start.Environment.Remove("TMUX_PANE");
        start.Environment["TMUX"] = socket ?? socketVariable;
        if (inPane)
        {
            start.Environment["TMUX_PANE"] = paneId ?? pane;
        }

        using var process = Process.Start(start)!;
        var bytes = Encoding.UTF8.GetBytes(stdin);
        process.StandardInput.BaseStream.Write(bytes);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new TmuxResult(process.ExitCode, output, error);
    }

    private Process StartControlClient()
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-L", tmux.SocketName, "-C", "attach", "-f", "ignore-size,no-output" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("TMUX");
        return Process.Start(start)!;
    }

    private static async Task<List<string>> ReadUntilAsync(Process client, Func<string, bool> wanted, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var found = new List<string>();
        while (found.Count < count && await client.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (wanted(line))
            {
                found.Add(line);
            }
        }

        return found;
    }
}
