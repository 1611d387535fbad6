using System.Runtime.InteropServices;
using Plexus.Host;
using Plexus.Host.Protocol;
using Plexus.Host.Tmux;
using StreamJsonRpc;

// stdout carries JSON-RPC; anything else written there would corrupt it, so Console.Out goes to stderr first.
var stdout = Console.OpenStandardOutput();
var stdin = Console.OpenStandardInput();
Console.SetOut(Console.Error);

if (!HostArguments.TryParse(args, out var options, out var problem))
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(HostArguments.Usage);
    return 2;
}

HostLog.Verbose = options.Verbose;

var endpoint = TmuxEndpoint.Resolve(options.TmuxPath, options.SocketName, options.SocketPath);
HostLog.Info($"plexus-host {Environment.ProcessId} starting; tmux {endpoint.TmuxPath ?? "(not found)"}, socket {endpoint.SocketPath}");

await using var server = new PlexusServer(endpoint);
var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = PlexusJson.Options };
using var rpc = new PlexusJsonRpc(new ForgivingMessageHandler(stdout, stdin, formatter));
rpc.AddLocalRpcTarget<IPlexusServer>(server, null);
server.Attach(rpc);

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
await Task.WhenAny(rpc.Completion, server.ExitRequested, terminated.Task, parentExit).ConfigureAwait(false);
await stopWatching.CancelAsync().ConfigureAwait(false);
HostLog.Info("plexus-host stopping");
return 0;
