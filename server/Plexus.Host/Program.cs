using System.Runtime.InteropServices;
using Plexus.Host;
using Plexus.Host.Tmux;
using StreamJsonRpc;

// stdout carries JSON-RPC; anything else written there would corrupt it, so Console.Out goes to stderr first.
// Only --help and --version, which never speak JSON-RPC, print to the real stdout.
var stdout = Console.OpenStandardOutput();
var stdin = Console.OpenStandardInput();
var usageOut = Console.Out;
Console.SetOut(Console.Error);

// The extension turns the runtime's diagnostics socket off for this process alone, and the runtime has read the
// variable by now: a tmux server started from here must not pass it on to every shell it runs.
Environment.SetEnvironmentVariable("DOTNET_EnableDiagnostics", null);

if (!HostArguments.TryParse(args, out var options, out var problem))
{
    Console.Error.WriteLine($"plexus-host: {problem}");
    Console.Error.WriteLine(HostArguments.Usage);
    return 2;
}

switch (options.Action)
{
    case HostAction.Help:
        usageOut.WriteLine(HostArguments.Usage);
        return 0;
    case HostAction.Version:
        usageOut.WriteLine(PlexusServer.ServerVersion);
        return 0;
}

HostLog.Verbose = options.Verbose;

var endpoint = TmuxEndpoint.Resolve(options.TmuxPath, options.SocketName, options.SocketPath);
HostLog.Info($"plexus-host {Environment.ProcessId} starting; tmux {endpoint.TmuxPath ?? "(not found)"}, socket {endpoint.SocketPath}");
HostLog.Info(HostPlatform.Describe());

await using var server = new PlexusServer(endpoint, options.RememberSessions);
using var rpc = PlexusJsonRpc.Create(stdout, stdin, server);
var disconnected = new TaskCompletionSource<JsonRpcDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
rpc.Disconnected += (_, e) => disconnected.TrySetResult(e);

var terminated = new TaskCompletionSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    terminated.TrySetResult();
});
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    terminated.TrySetResult();
});

rpc.StartListening();

// The host lives until the client says exit, stdin ends or the parent dies (the editor went away), or a
// signal asks it to stop.
using var stopWatching = new CancellationTokenSource();
var parentExit = ParentWatch.WaitForParentExitAsync(stopWatching.Token);
var ended = await Task.WhenAny(disconnected.Task, server.ExitRequested, terminated.Task, parentExit).ConfigureAwait(false);
await stopWatching.CancelAsync().ConfigureAwait(false);

// A connection that broke (a frame that cannot be skipped, a failed stream) is not a normal end: the exit code
// tells the extension so, and the reason is the last thing in the log.
if (ended == disconnected.Task && await disconnected.Task.ConfigureAwait(false) is { Reason: not (DisconnectedReason.RemotePartyTerminated or DisconnectedReason.LocallyDisposed) } broken)
{
    HostLog.Warn($"protocol error: {broken.Exception?.Message ?? broken.Description}; plexus-host stopping");
    return 1;
}

HostLog.Info("plexus-host stopping");
return 0;
