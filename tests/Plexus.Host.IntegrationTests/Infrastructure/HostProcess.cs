using System.Diagnostics;
using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>
/// The real host executable started as a child process, spoken to over its real stdin/stdout with
/// StreamJsonRpc, as the extension does with vscode-jsonrpc. Notifications are recorded and can be awaited.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly NotificationLog log = new();

    private HostProcess(Process process, JsonRpc rpc, string logPath)
    {
        this.process = process;
        Rpc = rpc;
        LogPath = logPath;
    }

    /// <summary>The file the host's stderr (its log) goes to.</summary>
    public string LogPath { get; }

    public JsonRpc Rpc { get; }

    public NotificationLog Notifications => log;

    public Process Process => process;

    /// <summary>
    /// The host under test: <c>PLEXUS_HOST_PATH</c> when set (the native host, as the TypeScript client tests read it
    /// too), else the framework-dependent apphost built next to the test assembly (the host project is referenced).
    /// </summary>
    public static string HostPath { get; } =
        Environment.GetEnvironmentVariable("PLEXUS_HOST_PATH") is { Length: > 0 } path ? Path.GetFullPath(path) : Path.Combine(AppContext.BaseDirectory, "plexus-host");

    public static Task<HostProcess> StartAsync(params string[] arguments) => StartAsync(attachRpc: true, arguments);

    /// <summary>Starts the host with extra environment variables, as an editor's environment would give it.</summary>
    public static Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync(attachRpc: true, environment, arguments);

    /// <inheritdoc cref="StartAsync(bool, IReadOnlyDictionary{string, string}, string[])"/>
    public static Task<HostProcess> StartAsync(bool attachRpc, params string[] arguments) =>
        StartAsync(attachRpc, new Dictionary<string, string>(), arguments);

    /// <summary>The hosts' logs and state folder, per user: another user's leftovers in /tmp are not writable.</summary>
    private static string TestFolder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"plexus-host-tests-{Environment.UserName}")).FullName;

    /// <summary>Where the host with this process id wrote its standard error.</summary>
    public static string LogPathOf(int processId) => Path.Combine(TestFolder, $"host-{processId}.log");

    /// <summary>Starts the host; without <paramref name="attachRpc"/> the test writes raw frames itself.</summary>
    public static async Task<HostProcess> StartAsync(bool attachRpc, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(HostPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The host remembers the sessions it creates in $XDG_STATE_HOME: never in the real user's folder.
        start.Environment["XDG_STATE_HOME"] = Path.Combine(TestFolder, "state");

        // As the extension starts it: no .NET diagnostics socket, which a killed host would leave behind in /tmp.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        start.ArgumentList.Add("--verbose");
        var process = Process.Start(start)!;
        var logPath = LogPathOf(process.Id);
        var logWriter = new StreamWriter(logPath) { AutoFlush = true };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (logWriter)
            {
                logWriter.WriteLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = PlexusJson.ForClients() };
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, formatter));
        var host = new HostProcess(process, rpc, logPath);
        rpc.AddLocalRpcTarget(host.log);
        if (attachRpc)
        {
            rpc.StartListening();
        }

        await Task.CompletedTask;
        return host;
    }

    /// <summary>
    /// Starts the host and connects as the extension does: <c>initialize</c> (answered before tmux is attached), then
    /// <c>sessions/list</c>, which waits for the first list, so the control client has attached when this returns.
    /// </summary>
    public static async Task<HostProcess> StartInitializedAsync(TmuxSandbox tmux, StatusSettings? settings = null)
    {
        var host = await StartAsync("--tmux-socket-name", tmux.SocketName);
        await host.InitializeAsync(settings);
        await host.ListAsync();
        return host;
    }

    public Task<InitializeResult> InitializeAsync(StatusSettings? settings = null) =>
        CallAsync<InitializeResult>("initialize", new InitializeParams("tests", 1, settings));

    public async Task<T> CallAsync<T>(string method, object parameters)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Rpc.InvokeWithParameterObjectAsync<T>(method, parameters, timeout.Token);
    }

    /// <summary>Calls a method that must fail and returns the JSON-RPC error code.</summary>
    public async Task<int> ErrorCodeOfAsync(string method, object parameters)
    {
        // StreamJsonRpc reads -32601 and -32602 as a RemoteMethodNotFoundException, every other code as a RemoteInvocationException.
        var error = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => CallAsync<object>(method, parameters));
        return error switch
        {
            RemoteInvocationException invocation => invocation.ErrorCode,
            RemoteMethodNotFoundException notFound => (int)notFound.ErrorCode,
            _ => throw new InvalidOperationException($"{method} failed without an error code: {error.Message}"),
        };
    }

    public Task<Session> CreateAsync(string name, string? command = null) =>
        CallAsync<Session>("sessions/create", new CreateSessionParams(name, command));

    public async Task<IReadOnlyList<Session>> ListAsync() =>
        (await CallAsync<SessionListResult>("sessions/list", new EmptyParams())).Sessions;

    public async Task ShutdownAsync()
    {
        await CallAsync<EmptyResult>("shutdown", new EmptyParams());
        await Rpc.NotifyAsync("exit");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
