using System.Globalization;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;
using Plexus.Host.Tmux;

namespace Plexus.Host.Sessions;

/// <summary>
/// What a client can do to sessions, each as tmux commands through the control client. Every target is exact
/// (<see cref="Targets"/>) and every argument is quoted for tmux's parser (<see cref="TmuxSyntax"/>).
/// </summary>
internal sealed class SessionCommands(TmuxConnection connection, SessionMonitor monitor, AgentLaunch launch)
{
    /// <summary>
    /// The command the user asked for, before Plexus attached its hooks: a respawn without a command plans it
    /// again, because tmux forgets <c>new-window -e</c> variables when it respawns a pane.
    /// </summary>
    public const string UserCommandOption = "@plexus_command";

    /// <summary>tmux's default of 2000 lines loses most of an agent's transcript.</summary>
    public const int HistoryLimit = 50000;

    private const int DefaultWidth = 200;
    private const int DefaultHeight = 50;
    private const string PasteBufferPrefix = "plexus-send-";

    private static readonly TimeSpan EnterSettleTime = TimeSpan.FromMilliseconds(60);

    // An agent redraws within a frame or two of a key; three seconds covers a loaded machine.
    private static readonly TimeSpan AnswerConfirmLimit = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AnswerPollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<Session> CreateAsync(CreateSessionParams request, CancellationToken cancellationToken)
    {
        if (SessionNameRules.Problem(request.Name) is { } problem)
        {
            throw new PlexusException(ErrorCodes.InvalidName, problem);
        }

        var cwd = request.Cwd ?? Environment.CurrentDirectory;
        if (!Directory.Exists(cwd))
        {
            throw new PlexusException(ErrorCodes.InvalidParams, $"No directory '{cwd}' to start the session in.");
        }

        if (request.Env?.Keys.FirstOrDefault(variable => !IsVariableName(variable)) is { } badVariable)
        {
            throw new PlexusException(ErrorCodes.InvalidParams, $"{Excerpt.Quote(badVariable)} is not an environment variable name.");
        }

        var plan = launch.Plan(request.Command);
        if (request.Env is { Count: > 0 } overrides)
        {
            // The user's own variables first: Plexus's (a hook settings path) must win for its hooks to work.
            var merged = new Dictionary<string, string>(overrides);
            foreach (var (variable, value) in plan.Environment)
            {
                merged[variable] = value;
            }

            plan = plan with { Environment = merged };
        }

        var width = Math.Clamp(request.Width ?? DefaultWidth, 10, 1000);
        var height = Math.Clamp(request.Height ?? DefaultHeight, 5, 1000);
        var name = request.Name;
        var pane = Targets.ActivePane(name);

        // The window is created with a placeholder first and then replaced, because history-limit applies only
        // to panes created after it is set, and remain-on-exit must be on before the real program can exit.
        // All of it runs as one tmux command list: nothing happens in between, and tmux stops at the first
        // failure (a duplicate name), so no later command touches a session that already existed.
        string[] newSession =
        [
            "new-session", "-d", "-s", TmuxSyntax.FormatLiteral(name),
            "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture),
            "-c", TmuxSyntax.FormatLiteral(cwd), "-P", "-F", "#{session_id}", "--", "cat",
        ];
        List<string> setup =
        [
            TmuxSyntax.Command("set-option", "-t", pane, "history-limit", HistoryLimit.ToString(CultureInfo.InvariantCulture)),
            TmuxSyntax.Command("new-window", ["-k", "-t", Targets.Session(name) + ":^", "-c", TmuxSyntax.FormatLiteral(cwd), .. LaunchArguments(plan)]),
            TmuxSyntax.Command("set-option", "-w", "-t", pane, "remain-on-exit", "on"),
            TmuxSyntax.Command("set-option", "-p", "-t", pane, UserCommandOption, request.Command ?? string.Empty),

            // tmux renames a window "cmd[dead]" the moment its program exits: the fastest exit signal.
            TmuxSyntax.Command("set-option", "-w", "-t", pane, "automatic-rename", "on"),
        ];

        IReadOnlyList<ControlReply> replies;
        try
        {
            replies = await connection.CreateSessionAsync(newSession, setup, cancellationToken).ConfigureAwait(false);
        }
        catch (TmuxCommandException ex)
        {
            throw new TmuxCommandException(ex.Message, name);
        }

        if (replies[^1] is { Success: false } failed)
        {
            throw new TmuxCommandException(failed.ErrorText, name);
        }

        var id = replies[0].Lines.FirstOrDefault()?.Trim() ?? string.Empty;
        await monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return monitor.Sessions.FirstOrDefault(session => session.Id == id && session.Name == name)
            ?? throw new PlexusException(ErrorCodes.TmuxCommandFailed, $"tmux created session {id} but it is gone (did its program exit at once?).");
    }

    public async Task KillAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await connection.KillSessionAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (TmuxCommandException ex)
        {
            throw new TmuxCommandException(ex.Message, name);
        }

        // The answer comes once the published list no longer has the session.
        await monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Session> RenameAsync(string name, string newName, CancellationToken cancellationToken)
    {
        if (SessionNameRules.Problem(newName) is { } problem)
        {
            throw new PlexusException(ErrorCodes.InvalidName, problem);
        }

        if (name != newName)
        {
            var reply = (await connection.RunAsync(
                [TmuxSyntax.Command("rename-session", "-t", Targets.Session(name), "--", TmuxSyntax.FormatLiteral(newName))],
                cancellationToken).ConfigureAwait(false))[0];
            if (!reply.Success)
            {
                var failure = new TmuxCommandException(reply.ErrorText);
                throw new TmuxCommandException(reply.ErrorText, failure.Failure == TmuxFailure.SessionExists ? newName : name);
            }
        }

        return await FindAsync(newName, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScrollbackResult> ScrollbackAsync(string name, int? lines, CancellationToken cancellationToken)
    {
        var pane = Targets.ActivePane(name);

        // Always the whole history (-S -): the total is then counted in the same lines the text is made of, and
        // 50,000 lines reach the editor's screen in ~0.65 s (e2e). -J joins lines tmux wrapped at the pane width. The limit comes in the same
        // round trip, so a history that reached it can say why its first lines are gone.
        var replies = await connection.QueryAsync(
            [
                TmuxSyntax.Command("capture-pane", "-p", "-J", "-S", "-", "-t", pane),
                TmuxSyntax.Command("display-message", "-p", "-t", pane, "#{history_limit}"),
            ],
            cancellationToken).ConfigureAwait(false);
        if (replies.FirstOrDefault(reply => !reply.Success) is { } failed)
        {
            throw new TmuxCommandException(failed.ErrorText, name);
        }

        // Blank rows above the first output and below the cursor are the empty screen, not the transcript.
        var text = replies[0].Lines.Select(line => line.TrimEnd()).SkipWhile(line => line.Length == 0).ToList();
        while (text.Count > 0 && text[^1].Length == 0)
        {
            text.RemoveAt(text.Count - 1);
        }

        var kept = lines is { } wanted ? text.Skip(Math.Max(0, text.Count - Math.Max(1, wanted))).ToList() : text;
        int? historyLimit = int.TryParse(replies[1].Lines.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
        return new ScrollbackResult(string.Join('\n', kept), kept.Count, text.Count, historyLimit);
    }

    public async Task SendTextAsync(string name, string text, bool enter, CancellationToken cancellationToken)
    {
        var pane = Targets.ActivePane(name);

        // tmux 3.3a dies (the whole server, every session of the user) on paste-buffer into a pane whose program
        // has exited, and typing there would be lost anyway. The check cannot go in the same command list: tmux has
        // no conditional that does not add reply blocks (if-shell does), so a pane that dies in the ~0.1 ms between
        // the two round trips is the one case left.
        var dead = await RunAsync(TmuxSyntax.Command("display-message", "-p", "-t", pane, "#{pane_dead}"), name, cancellationToken).ConfigureAwait(false);
        if (dead.FirstOrDefault() == "1")
        {
            throw new TmuxCommandException($"the program in session {Excerpt.Quote(name)} has ended; respawn it to send text", name);
        }

        if (text.Contains('\n') || text.Contains('\r'))
        {
            // One paste, bracketed when the program asked for it, so a multi-line prompt is not submitted line
            // by line. The buffer is private to this call and deleted by the paste (-d).
            var buffer = PasteBufferPrefix + Guid.NewGuid().ToString("N");
            var replies = await connection.RunSequenceAsync(
                [
                    TmuxSyntax.Command("set-buffer", "-b", buffer, "--", text.ReplaceLineEndings("\n")),
                    TmuxSyntax.Command("paste-buffer", "-d", "-p", "-b", buffer, "-t", pane),
                ],
                cancellationToken).ConfigureAwait(false);
            if (replies[^1] is { Success: false } failed)
            {
                await connection.RunAsync([TmuxSyntax.Command("delete-buffer", "-b", buffer)], cancellationToken).ConfigureAwait(false);
                throw new TmuxCommandException(failed.ErrorText, name);
            }
        }
        else if (text.Length > 0)
        {
            await RunAsync(TmuxSyntax.Command("send-keys", "-l", "-t", pane, "--", text), name, cancellationToken).ConfigureAwait(false);
        }

        if (enter)
        {
            // A separate command, a moment later: an Enter that reaches the program in the same read as the
            // text is taken as part of a paste by agents' input boxes and lost.
            if (text.Length > 0)
            {
                await Task.Delay(EnterSettleTime, cancellationToken).ConfigureAwait(false);
            }

            await RunAsync(TmuxSyntax.Command("send-keys", "-t", pane, "Enter"), name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The menu a waiting session shows: its question and numbered choices.</summary>
    public async Task<PromptResult> PromptAsync(string name, CancellationToken cancellationToken)
    {
        var menu = await ReadWaitingMenuAsync(name, cancellationToken).ConfigureAwait(false);
        return new PromptResult(menu.Question, menu.Choices.Select(choice => new PromptChoice(choice.Number, choice.Label)).ToList());
    }

    /// <summary>
    /// Answers a waiting session's prompt with the key its menu expects, then watches the screen until the prompt
    /// is gone: an answer the program did not take is reported as such, never assumed.
    /// </summary>
    public async Task<AnswerResult> AnswerAsync(string name, string answer, CancellationToken cancellationToken)
    {
        var menu = await ReadWaitingMenuAsync(name, cancellationToken).ConfigureAwait(false);
        var choice = menu.Find(answer) ?? throw new PlexusException(
            ErrorCodes.InvalidParams,
            $"{Excerpt.Quote(answer)} is not an answer to this prompt; its choices are {string.Join(", ", menu.Choices.Select(choice => $"{choice.Number}. {choice.Label}"))}.");
        var pane = Targets.ActivePane(name);
        await RunAsync(TmuxSyntax.Command("send-keys", "-t", pane, choice.Key), name, cancellationToken).ConfigureAwait(false);
        if (menu.EnterAfterKey)
        {
            await RunAsync(TmuxSyntax.Command("send-keys", "-t", pane, "Enter"), name, cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTimeOffset.UtcNow + AnswerConfirmLimit;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(AnswerPollInterval, cancellationToken).ConfigureAwait(false);
            var after = PromptMenu.Read(await CaptureScreenAsync(name, cancellationToken).ConfigureAwait(false));
            if (after is null || !after.Asks(menu))
            {
                return new AnswerResult(true, $"Answered \"{choice.Label}\".");
            }
        }

        return new AnswerResult(false, $"The prompt was still on screen {AnswerConfirmLimit.TotalSeconds:0} s after the answer; attach to the session to answer it.");
    }

    public async Task<Session> RespawnAsync(string name, string? command, CancellationToken cancellationToken)
    {
        var pane = Targets.ActivePane(name);
        var userCommand = string.IsNullOrWhiteSpace(command)
            ? (await RunAsync(TmuxSyntax.Command("show-options", "-p", "-v", "-q", "-t", pane, UserCommandOption), name, cancellationToken).ConfigureAwait(false)).FirstOrDefault()
            : command;
        var plan = launch.Plan(string.IsNullOrWhiteSpace(userCommand) ? null : userCommand);
        List<string> commands = [TmuxSyntax.Command("respawn-pane", ["-t", pane, .. LaunchArguments(plan)])];
        if (!string.IsNullOrWhiteSpace(command))
        {
            commands.Add(TmuxSyntax.Command("set-option", "-p", "-t", pane, UserCommandOption, command));
        }

        var replies = await connection.RunSequenceAsync(commands, cancellationToken).ConfigureAwait(false);
        if (replies[^1] is { Success: false } failed)
        {
            throw new TmuxCommandException(failed.ErrorText, name);
        }

        return await FindAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AttachCommandResult> AttachCommandAsync(string name, bool readOnly, bool ignoreSize, CancellationToken cancellationToken)
    {
        await RunAsync(TmuxSyntax.Command("has-session", "-t", Targets.Session(name)), name, cancellationToken).ConfigureAwait(false);
        var endpoint = connection.Endpoint;
        List<string> arguments = ["-u", .. endpoint.ServerArguments, "attach-session"];
        if (readOnly)
        {
            arguments.Add("-r");
        }

        if (ignoreSize)
        {
            // tmux 3.3a: a client with the ignore-size flag is skipped when the window size is computed
            // (resize.c ignore_client_size), so a second view never shrinks the session for its other clients.
            arguments.AddRange(["-f", "ignore-size"]);
        }

        arguments.AddRange(["-t", Targets.Session(name)]);

        // An empty TMUX lets the attach work from an editor that itself runs inside tmux ("sessions should be
        // nested with care"); the explicit -S still picks the right server.
        return new AttachCommandResult(endpoint.TmuxPath!, arguments, new Dictionary<string, string> { ["TMUX"] = string.Empty });
    }

    /// <summary>
    /// The session the tmux client with process id <paramref name="pid"/> shows (tmux's own client list: no /proc,
    /// so it answers the same on every Unix). With no server running there is no client to find.
    /// </summary>
    public async Task<FindClientResult> FindClientAsync(int pid, CancellationToken cancellationToken)
    {
        IReadOnlyList<ControlReply> replies;
        try
        {
            replies = await connection.QueryAsync([TmuxSyntax.Command("list-clients", "-F", "#{client_pid}\t#{client_readonly}\t#{session_id}\t#{session_name}")], cancellationToken).ConfigureAwait(false);
        }
        catch (PlexusException ex) when (ex.Code == ErrorCodes.TmuxServerUnavailable)
        {
            return new FindClientResult();
        }

        var wanted = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var line in replies[0].Success ? replies[0].Lines : [])
        {
            // The name comes last, so a tab in it cannot shift the fields before it.
            var fields = line.Split('\t', 4);
            if (fields.Length == 4 && fields[0] == wanted)
            {
                return new FindClientResult(fields[3], fields[2], fields[1] == "1");
            }
        }

        return new FindClientResult();
    }

    /// <summary>
    /// Detaches the clients of this server whose process is one of <paramref name="pids"/>; any other process,
    /// whatever it is, is left alone. Returns how many were detached.
    /// </summary>
    public async Task<int> DetachClientsAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        var wanted = pids.ToHashSet();
        var listed = await connection.QueryAsync([TmuxSyntax.Command("list-clients", "-F", "#{client_pid}\t#{client_name}")], cancellationToken).ConfigureAwait(false);
        var names = listed[0].Lines
            .Select(line => line.Split('\t', 2))
            .Where(fields => fields.Length == 2 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && wanted.Contains(pid))
            .Select(fields => fields[1])
            .ToList();
        if (names.Count > 0)
        {
            // A client that left meanwhile only fails its own detach-client.
            await connection.RunAsync(names.Select(name => TmuxSyntax.Command("detach-client", "-t", name)).ToList(), cancellationToken).ConfigureAwait(false);
        }

        return names.Count;
    }

    /// <summary>
    /// new-window's and respawn-pane's arguments for a plan: <c>-e</c> per variable (tmux 3.3a sets them in the
    /// pane's environment only), then the command as one argument, which tmux runs with <c>sh -c</c>.
    /// </summary>
    private static IEnumerable<string> LaunchArguments(LaunchPlan plan)
    {
        foreach (var (variable, value) in plan.Environment)
        {
            yield return "-e";
            yield return $"{variable}={value}";
        }

        if (!string.IsNullOrWhiteSpace(plan.Command))
        {
            yield return "--";
            yield return IsNowhereOnPath(AgentCommandLine.ProgramOf(plan.Command)) ? plan.Command : AgentCommandLine.WithExec(plan.Command);
        }
    }

    /// <summary>
    /// A bare program name that no directory on PATH has: the shell will say "not found". It is left without
    /// exec, because bash exits from a failed exec faster than tmux 3.3a reads the error from the pane (7 of 200
    /// runs lost it; 0 of 200 without exec). A path or an expansion is never guessed at.
    /// </summary>
    private static bool IsNowhereOnPath(string? program) =>
        program is not null
        && program.IndexOfAny(['/', '~', '$']) < 0
        && !(Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static bool IsVariableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    private async Task<IReadOnlyList<string>> RunAsync(string command, string name, CancellationToken cancellationToken)
    {
        var reply = (await connection.RunAsync([command], cancellationToken).ConfigureAwait(false))[0];
        return reply.Success ? reply.Lines : throw new TmuxCommandException(reply.ErrorText, name);
    }

    private async Task<PromptMenu> ReadWaitingMenuAsync(string name, CancellationToken cancellationToken)
    {
        var session = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (session.Status != SessionStatus.Waiting)
        {
            throw new PlexusException(ErrorCodes.NotWaiting, $"Session {Excerpt.Quote(name)} is not waiting for an answer (it is {session.Status.ToString().ToLowerInvariant()}).");
        }

        return PromptMenu.Read(await CaptureScreenAsync(name, cancellationToken).ConfigureAwait(false))
            ?? throw new PlexusException(ErrorCodes.NotWaiting, $"Session {Excerpt.Quote(name)} shows no menu Plexus can answer; attach to it to answer.");
    }

    private async Task<string> CaptureScreenAsync(string name, CancellationToken cancellationToken) =>
        string.Join('\n', await RunAsync(TmuxSyntax.Command("capture-pane", "-p", "-t", Targets.ActivePane(name)), name, cancellationToken).ConfigureAwait(false));

    private async Task<Session> FindAsync(string name, CancellationToken cancellationToken)
    {
        await monitor.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return monitor.Find(name) ?? throw PlexusException.NotFound(name);
    }
}
