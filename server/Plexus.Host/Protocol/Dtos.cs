using System.Text.Json.Serialization;

namespace Plexus.Host.Protocol;

/// <summary>Status of a session as the status engine judges it; wire names are camelCase.</summary>
public enum SessionStatus
{
    Unknown,
    Running,
    Idle,
    Waiting,
    Stuck,
    Ended,
    Error,
}

/// <summary>A coding agent Plexus recognises; wire names are camelCase.</summary>
public enum AgentKind
{
    Claude,
    Codex,
    Gemini,
    Kiro,
}

/// <summary>Why a session waits for the user.</summary>
public enum WaitingReason
{
    Permission,
    Question,
    Input,
}

public sealed record Session(
    string Name,
    string Id,
    int Windows,
    int AttachedClients,
    long CreatedAt,
    string Command,
    string Cwd,
    SessionStatus Status,
    double StatusSince,
    WaitingReason? Reason = null,
    string? Detail = null,
    int? ExitCode = null,
    AgentKind? Agent = null,
    string? AgentSessionId = null);

public sealed record StatusSettings(double? IdleAfterSeconds = null, double? StuckAfterSeconds = null);

public sealed record InitializeParams(string ClientName, int ProtocolVersion, StatusSettings? Settings = null);

public sealed record InitializeResult(
    string ServerVersion,
    int ProtocolVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TmuxVersion,
    bool ServerRunning,
    string SocketPath);

public sealed record EmptyParams;

public sealed record EmptyResult;

public sealed record SessionListResult(IReadOnlyList<Session> Sessions);

/// <summary><c>env</c>: variables set for the session's program only (and remembered with the session).</summary>
public sealed record CreateSessionParams(
    string Name,
    string? Command = null,
    string? Cwd = null,
    int? Width = null,
    int? Height = null,
    IReadOnlyDictionary<string, string>? Env = null);

public sealed record SessionNameParams(string Name);

public sealed record RenameSessionParams(string Name, string NewName);

/// <summary>Without <c>lines</c>, the whole history; with it, the last <c>lines</c> lines.</summary>
public sealed record ScrollbackParams(string Name, int? Lines = null);

/// <summary>
/// <c>lineCount</c> lines are in <c>text</c>, out of <c>totalLines</c> in the pane's whole history and screen (trimmed
/// and joined the same way); tmux keeps at most <c>historyLimit</c> lines of history for the pane.
/// </summary>
public sealed record ScrollbackResult(string Text, int LineCount, int? TotalLines = null, int? HistoryLimit = null);

public sealed record SendTextParams(string Name, string Text, bool? Enter = null);

public sealed record RespawnParams(string Name, string? Command = null);

public sealed record AttachCommandParams(string Name, bool? ReadOnly = null, bool? IgnoreSize = null);

public sealed record AttachCommandResult(string File, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Env);

/// <summary><c>pid</c>: the process id of a tmux client, such as the process of a terminal the editor restored.</summary>
public sealed record FindClientParams([property: JsonRequired] int Pid);

/// <summary>
/// The session the tmux client <c>pid</c> shows on the host's server, and whether it is read-only; <c>session</c>
/// is absent when no client of this server has that process id.
/// </summary>
public sealed record FindClientResult(string? Session = null, string? SessionId = null, bool? ReadOnly = null);

/// <summary>tmux client processes to detach: a window's grid panes of before a reload, which the editor keeps alive unseen.</summary>
public sealed record DetachClientsParams([property: JsonRequired] IReadOnlyList<int> Pids);

/// <summary>How many of the processes were clients of this server, and are detached now.</summary>
public sealed record DetachClientsResult(int Detached);

public sealed record SessionsChangedParams(IReadOnlyList<Session> Sessions);

public sealed record StatusChangedParams(
    string Name,
    string Id,
    SessionStatus Status,
    SessionStatus Previous,
    double Since,
    WaitingReason? Reason = null,
    string? Detail = null,
    int? ExitCode = null);

public sealed record PromptParams(string Name);

/// <summary>What a waiting session asks: the question line and the numbered choices drawn under it.</summary>
public sealed record PromptResult(string? Question, IReadOnlyList<PromptChoice> Choices);

public sealed record PromptChoice(int Number, string Label);

/// <summary><c>answer</c> is "allow", "deny" or a choice's number ("2").</summary>
public sealed record AnswerParams(string Name, string Answer);

/// <summary><c>answered</c> is false when the prompt was still on screen after the keys; <c>detail</c> says what happened.</summary>
public sealed record AnswerResult(bool Answered, string Detail);

/// <summary>What <c>agents/previewHooks</c> and <c>agents/applyHooks</c> do to a user's settings file.</summary>
public enum HookChange
{
    Install,
    Uninstall,
}

/// <summary><c>agent</c> is "claude" or "gemini": Codex and Kiro have no hooks Plexus can set up.</summary>
public sealed record PreviewHooksParams(
    [property: JsonRequired] AgentKind Agent,
    [property: JsonRequired] HookChange Change);

/// <summary>
/// The user settings file and what the change would make of it. <c>current</c> is null when the file does not
/// exist, <c>proposed</c> null when it would still not exist; <c>changed</c> is false when there is nothing to do.
/// </summary>
public sealed record HooksPreview(
    string File,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Current,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Proposed,
    bool Changed);

/// <summary><c>expected</c> is the preview's <c>current</c> (left out for a file that did not exist).</summary>
public sealed record ApplyHooksParams(
    [property: JsonRequired] AgentKind Agent,
    [property: JsonRequired] HookChange Change,
    string? Expected = null);

/// <summary><c>backup</c> is the copy of the file as it was, when there was one to copy.</summary>
public sealed record ApplyHooksResult(string File, bool Changed, string? Backup = null);

/// <summary>
/// What Plexus remembers of a session it created, to restore it when it no longer runs. <c>command</c> is the command
/// the user asked for (absent: the user's shell), <c>env</c> the variables set through Plexus, <c>agentSessionId</c>
/// the agent's own conversation id once a hook reported it, <c>stoppedAt</c> when the host saw it go (unix seconds),
/// <c>hasScrollback</c> whether its last scrollback was saved (<c>sessions/scrollback</c> returns it).
/// </summary>
public sealed record SessionRecord(
    string Name,
    string SocketPath,
    string Cwd,
    long CreatedAt,
    string? Command = null,
    IReadOnlyDictionary<string, string>? Env = null,
    AgentKind? Agent = null,
    string? AgentSessionId = null,
    long? StoppedAt = null,
    bool? HasScrollback = null);

/// <summary>
/// What <c>sessions/kill</c> did to the session's record: <c>forgotten</c> is the record it forgot (absent when Plexus
/// remembered none), for a client to offer Undo through <c>sessions/remember</c>.
/// </summary>
public sealed record KillResult(SessionRecord? Forgotten = null);

/// <summary>The record to put back, as <c>sessions/kill</c> returned it.</summary>
public sealed record RememberParams([property: JsonRequired] SessionRecord Record);

/// <summary>The remembered sessions that are not running on the host's tmux server, oldest first.</summary>
public sealed record NotRunningList(IReadOnlyList<SessionRecord> Sessions);
