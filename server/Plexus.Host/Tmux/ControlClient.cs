using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using CliWrap;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tmux;

/// <summary>
/// One long-lived <c>tmux -C</c> client: commands go in as lines, replies come back in order, notifications
/// go to the owner's channel. A command through it costs ~0.1 ms against ~9 ms for a forked tmux.
/// It attaches with <c>ignore-size</c> (it never resizes anyone's windows) and <c>no-output</c> (pane output is
/// not streamed to it), and it is closed by ending its stdin, which tmux treats as a clean detach, so no
/// client is ever left behind on the server.
/// </summary>
internal sealed class ControlClient : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);

    private readonly Channel<string> outgoing = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly ConcurrentQueue<PendingLine> pending = new();
    private readonly Lock sendGate = new();
    private readonly Action<ControlNotification> notifications;
    private readonly CancellationTokenSource killSource = new();
    private readonly StringBuilder standardError = new();
    private Task processTask = Task.CompletedTask;
    private bool closed;

    private ControlClient(Action<ControlNotification> notifications)
    {
        this.notifications = notifications;
    }

    /// <summary>Completes when the tmux client process has exited.</summary>
    public Task Completion => processTask;

    /// <summary>True once the client takes no more commands (it is closing or has exited).</summary>
    public bool IsClosed
    {
        get
        {
            lock (sendGate)
            {
                return closed || processTask.IsCompleted;
            }
        }
    }

    /// <summary>
    /// Starts a control client attached to <paramref name="sessionTarget"/> (or tmux's most recent session) and waits
    /// until tmux accepted the attach. Throws <see cref="PlexusException"/> when there is no server or no session.
    /// </summary>
    public static async Task<ControlClient> StartAsync(
        TmuxEndpoint endpoint,
        Action<ControlNotification> notifications,
        string? sessionTarget,
        CancellationToken cancellationToken)
    {
        var client = new ControlClient(notifications);
        var attached = new PendingLine(1);
        client.pending.Enqueue(attached);

        // -N: attach-session would otherwise start a server when none runs (tmux(1)); probing must not do that.
        // -E: attaching must not copy this process's DISPLAY, SSH_AUTH_SOCK... into the user's session.
        List<string> arguments = ["-u", "-N", .. endpoint.ServerArguments, "-C", "attach-session", "-E", "-f", "ignore-size,no-output"];
        if (sessionTarget is not null)
        {
            arguments.AddRange(["-t", sessionTarget]);
        }

        client.processTask = client.RunProcessAsync(endpoint.TmuxPath!, arguments);
        var first = await Task.WhenAny(attached.Completion.Task, client.processTask).WaitAsync(cancellationToken).ConfigureAwait(false);
        var reply = first == attached.Completion.Task ? (await attached.Completion.Task.ConfigureAwait(false))[0] : null;
        if (reply is { Success: true })
        {
            return client;
        }

        var why = reply?.ErrorText ?? client.StandardErrorText();
        await client.DisposeAsync().ConfigureAwait(false);
        throw PlexusException.ServerUnavailable(string.IsNullOrWhiteSpace(why) ? "tmux refused the control client" : why);
    }

    /// <summary>
    /// Sends the commands as one write, so tmux reads them together and runs them back to back with nothing
    /// (not even a child's exit) handled in between; returns one reply per command, in order.
    /// </summary>
    public async Task<IReadOnlyList<ControlReply>> RunAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        var lines = await SendAsync(commands.Select(command => new[] { command }).ToArray(), cancellationToken).ConfigureAwait(false);
        return lines.Select(replies => replies[0]).ToArray();
    }

    /// <summary>
    /// Runs the commands as one tmux command list (<c>a ; b ; c</c>): tmux stops at the first failure and skips the
    /// rest, so later commands never act on something the first one did not create. Returns the replies of the
    /// commands that ran; the last one is the failure, if any.
    /// </summary>
    public async Task<IReadOnlyList<ControlReply>> RunSequenceAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        (await SendAsync([commands], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Runs one command and returns its output lines; a tmux error becomes <see cref="TmuxCommandException"/>.</summary>
    public async Task<IReadOnlyList<string>> RunOneAsync(string command, CancellationToken cancellationToken)
    {
        var reply = (await RunAsync([command], cancellationToken).ConfigureAwait(false))[0];
        return reply.Success ? reply.Lines : throw new TmuxCommandException(reply.ErrorText);
    }

    private async Task<IReadOnlyList<ControlReply>[]> SendAsync(IReadOnlyList<IReadOnlyList<string>> lines, CancellationToken cancellationToken)
    {
        var waiters = new PendingLine[lines.Count];
        var batch = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            foreach (var command in lines[i])
            {
                // An empty line would detach the client (tmux(1), control mode).
                if (string.IsNullOrWhiteSpace(command) || command.Contains('\n'))
                {
                    throw new ArgumentException("A control-mode command must be one non-empty line.", nameof(lines));
                }
            }

            waiters[i] = new PendingLine(lines[i].Count);
            batch.AppendJoin(" ; ", lines[i]).Append('\n');
        }

        lock (sendGate)
        {
            if (closed || processTask.IsCompleted)
            {
                throw new ControlClientClosedException("the tmux control client has exited", commandsSent: false);
            }

            foreach (var waiter in waiters)
            {
                pending.Enqueue(waiter);
            }

            outgoing.Writer.TryWrite(batch.ToString());
        }

        var results = new IReadOnlyList<ControlReply>[waiters.Length];
        for (var i = 0; i < waiters.Length; i++)
        {
            results[i] = await waiters[i].Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        lock (sendGate)
        {
            closed = true;
            outgoing.Writer.TryComplete();
        }

        try
        {
            await processTask.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            HostLog.Warn("tmux control client did not exit after stdin closed; killing it");
            await killSource.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // The process already ended; nothing is left to close.
        }

        killSource.Dispose();
    }

    private string StandardErrorText()
    {
        lock (standardError)
        {
            return standardError.ToString().Trim();
        }
    }

    private async Task RunProcessAsync(string tmuxPath, IReadOnlyList<string> arguments)
    {
        var command = Cli.Wrap(tmuxPath)
            .WithArguments(arguments)
            .WithEnvironmentVariables(MinimalEnvironment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Create(WriteCommandsAsync))
            .WithStandardOutputPipe(PipeTarget.Create(ReadMessagesAsync))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                lock (standardError)
                {
                    standardError.AppendLine(line);
                }
            }));
        try
        {
            var result = await command.ExecuteAsync(killSource.Token).ConfigureAwait(false);
            HostLog.Debug($"tmux control client exited with code {result.ExitCode}");
        }
        catch (OperationCanceledException)
        {
            // Killed on purpose after the exit grace period.
        }
        catch (Exception ex)
        {
            HostLog.Warn($"tmux control client failed: {ex.Message}");
        }
        finally
        {
            lock (sendGate)
            {
                closed = true;
                outgoing.Writer.TryComplete();
            }

            while (pending.TryDequeue(out var orphan))
            {
                orphan.Completion.TrySetException(new ControlClientClosedException("the tmux control client exited", commandsSent: true));
            }
        }
    }

    /// <summary>
    /// tmux 3.3a crashes (a null control_state in control_write) when a notification reaches a control client
    /// whose identify messages, one per environment variable, are still arriving; an editor's environment is
    /// large enough to split them across reads. With a handful of variables the handshake arrives in one read.
    /// </summary>
    private static void MinimalEnvironment(CliWrap.Builders.EnvironmentVariablesBuilder environment)
    {
        string[] kept = ["HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE"];
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(name => !kept.Contains(name)))
        {
            environment.Set(name, null);
        }
    }

    private async Task WriteCommandsAsync(Stream input, CancellationToken cancellationToken)
    {
        await foreach (var batch in outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            HostLog.Debug($"tmux <- {batch.TrimEnd()}");
            await input.WriteAsync(Encoding.UTF8.GetBytes(batch), cancellationToken).ConfigureAwait(false);
            await input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadMessagesAsync(Stream output, CancellationToken cancellationToken)
    {
        var parser = new ControlModeParser();
        var attachedReplySeen = false;
        var reader = new LineReader(output);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            switch (parser.Feed(line))
            {
                case ControlReply reply:
                    if (!attachedReplySeen)
                    {
                        attachedReplySeen = true;
                    }
                    else if (!reply.FromThisClient)
                    {
                        HostLog.Debug($"ignoring tmux output block {reply.Number} not sent by this client");
                        break;
                    }

                    if (pending.TryPeek(out var waiter) && waiter.Add(reply))
                    {
                        pending.TryDequeue(out _);
                    }

                    break;
                case ControlNotification notification:
                    HostLog.Debug($"tmux -> %{notification.Name} {notification.Arguments}");
                    notifications(notification);
                    break;
            }
        }
    }
}

/// <summary>Replies gathered for one command line: complete after all its commands ran or the first failed.</summary>
internal sealed class PendingLine(int commandCount)
{
    private readonly List<ControlReply> replies = [];

    public TaskCompletionSource<IReadOnlyList<ControlReply>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds a reply; returns true when the line is complete.</summary>
    public bool Add(ControlReply reply)
    {
        replies.Add(reply);
        if (replies.Count < commandCount && reply.Success)
        {
            return false;
        }

        Completion.TrySetResult(replies);
        return true;
    }
}

/// <summary>
/// The control client exited before answering; <paramref name="commandsSent"/> says whether tmux may have run the
/// commands (they were written before it went) or certainly did not.
/// </summary>
internal sealed class ControlClientClosedException(string message, bool commandsSent) : Exception(message)
{
    public bool CommandsSent { get; } = commandsSent;
}
