// The TypeScript mirror of docs/protocol.md (server/Plexus.Host/Protocol). Wire names are spelled exactly
// as the protocol documents them. tests/Plexus.Host.Tests/ProtocolMirrorTests compares every C# record, enum,
// method and error code with the declaration of the same name here: keep to plain interfaces, string-literal
// unions and RequestType/NotificationType constants, which it reads.
// Free of the `vscode` import so node tests can use it.
import { NotificationType, NotificationType0, ParameterStructures, RequestType } from 'vscode-jsonrpc';

export const protocolVersion = 1;

export type SessionStatus = 'unknown' | 'running' | 'idle' | 'waiting' | 'stuck' | 'ended' | 'error';
export type WaitingReason = 'permission' | 'question' | 'input';
export type AgentKind = 'claude' | 'codex' | 'gemini' | 'kiro';

export const sessionStatuses: readonly SessionStatus[] = ['unknown', 'running', 'idle', 'waiting', 'stuck', 'ended', 'error'];

export interface Session {
  /** Exact tmux session name. */
  name: string;
  /** tmux session id, e.g. "$3". */
  id: string;
  windows: number;
  /** Clients attached, not counting the host's own control client. */
  attachedClients: number;
  /** Unix seconds. */
  createdAt: number;
  /** Foreground program of the active pane, e.g. "bash", "claude". */
  command: string;
  /** Working directory of the active pane. */
  cwd: string;
  status: SessionStatus;
  /** Unix seconds (fractional) when status last changed. */
  statusSince: number;
  /** When status is "waiting". */
  reason?: WaitingReason;
  /** The screen line that decided "waiting" or "stuck"; for "ended" and "error", the last lines the program printed. */
  detail?: string;
  /** When status is "ended" or "error". */
  exitCode?: number;
  /** The coding agent recognised in the session, from its hooks, pane title or screen. */
  agent?: AgentKind;
  /** The agent's own conversation id (Claude Code and Gemini `session_id`, Codex thread id), once a hook reported it. */
  agentSessionId?: string;
}

export interface StatusSettings {
  idleAfterSeconds?: number;
  stuckAfterSeconds?: number;
}

/** The status settings the extension sends (initialize, settings/update). */
export type Settings = StatusSettings;

export type EmptyParams = Record<string, never>;
export type EmptyResult = Record<string, never>;

export interface InitializeParams {
  clientName: string;
  protocolVersion: 1;
  settings?: Settings;
}

export interface InitializeResult {
  serverVersion: string;
  /** The host's own version of the protocol; the client refuses one that differs from `protocolVersion`. */
  protocolVersion: number;
  tmuxVersion: string | null;
  serverRunning: boolean;
  /** The tmux socket the host uses; session ids are unique only within it. */
  socketPath: string;
}

export interface SessionListResult {
  sessions: Session[];
}

export interface CreateSessionParams {
  name: string;
  command?: string;
  cwd?: string;
  width?: number;
  height?: number;
  /** Variables for the session's program only; remembered with the session. */
  env?: { [key: string]: string };
}

export interface SessionNameParams {
  name: string;
}

export interface RenameSessionParams {
  name: string;
  newName: string;
}

export interface ScrollbackParams {
  name: string;
  /** The last this many lines; omitted, the whole history. */
  lines?: number;
}

export interface ScrollbackResult {
  text: string;
  /** Lines in `text`. */
  lineCount: number;
  /** Lines in the pane's whole history and screen, trimmed and joined as `text` is. */
  totalLines?: number;
  /** The most lines of history tmux keeps for the pane (`history-limit`). */
  historyLimit?: number;
}

export interface SendTextParams {
  name: string;
  text: string;
  enter?: boolean;
}

export interface RespawnParams {
  name: string;
  command?: string;
}

export interface AttachCommandParams {
  name: string;
  readOnly?: boolean;
  /** Attach with tmux's `ignore-size` client flag: this view never resizes the session's window. */
  ignoreSize?: boolean;
}

export interface AttachCommandResult {
  file: string;
  args: string[];
  env: { [key: string]: string };
}

/** `pid`: the process id of a tmux client, such as a terminal's process. */
export interface FindClientParams {
  pid: number;
}

/** The session that client shows, and whether it is read-only; no `session` when no client has that pid. */
export interface FindClientResult {
  session?: string;
  sessionId?: string;
  readOnly?: boolean;
}

/** tmux client processes to detach (a grid's pane terminals of before a reload); other pids are left alone. */
export interface DetachClientsParams {
  pids: number[];
}

export interface DetachClientsResult {
  detached: number;
}

export interface PromptParams {
  name: string;
}

/** What a waiting session asks: the question line and the numbered choices drawn under it. */
export interface PromptResult {
  question?: string;
  choices: PromptChoice[];
}

export interface PromptChoice {
  number: number;
  label: string;
}

export interface AnswerParams {
  name: string;
  /** "allow", "deny" or a choice's number ("2"). */
  answer: string;
}

export interface AnswerResult {
  /** False when the prompt was still on screen after the keys. */
  answered: boolean;
  detail: string;
}

/** What `agents/previewHooks` and `agents/applyHooks` do to a user's settings file. */
export type HookChange = 'install' | 'uninstall';

export interface PreviewHooksParams {
  /** "claude" or "gemini": Codex and Kiro have no hooks Plexus can set up. */
  agent: AgentKind;
  change: HookChange;
}

export interface HooksPreview {
  /** The user's settings file, e.g. ~/.claude/settings.json. */
  file: string;
  /** Its text now; null when it does not exist. */
  current: string | null;
  /** Its text after the change; null when it would still not exist. */
  proposed: string | null;
  /** False when there is nothing to do. */
  changed: boolean;
}

export interface ApplyHooksParams {
  agent: AgentKind;
  change: HookChange;
  /** The preview's `current` (left out for a file that did not exist): the host writes only if the file still holds it. */
  expected?: string;
}

export interface ApplyHooksResult {
  file: string;
  changed: boolean;
  /** The copy of the file as it was, when there was one. */
  backup?: string;
}

export interface SessionsChangedParams {
  sessions: Session[];
}

export interface StatusChangedParams {
  name: string;
  /** tmux session id, stable across renames within one server. */
  id: string;
  status: SessionStatus;
  previous: SessionStatus;
  reason?: WaitingReason;
  detail?: string;
  since: number;
  exitCode?: number;
}

/** A session Plexus created and remembers, to restore it when it no longer runs. */
export interface SessionRecord {
  name: string;
  /** The tmux server it ran on. */
  socketPath: string;
  cwd: string;
  /** Unix seconds. */
  createdAt: number;
  /** The command the user asked for; absent, the user's shell. */
  command?: string;
  /** Variables set through Plexus. */
  env?: { [key: string]: string };
  agent?: AgentKind;
  /** The agent's own conversation id: a restore resumes exactly this one. */
  agentSessionId?: string;
  /** Unix seconds when the host saw it stop; absent when no host saw it (a reboot). */
  stoppedAt?: number;
  /** Its last scrollback was saved: `sessions/scrollback` returns it while it is not running. */
  hasScrollback?: boolean;
}

/** What `sessions/kill` did to the session's record: the one it forgot, absent when none was remembered. */
export interface KillResult {
  /** Give it to `sessions/remember` to undo the forgetting. */
  forgotten?: SessionRecord;
}

/** The record to put back, as `sessions/kill` returned it. */
export interface RememberParams {
  record: SessionRecord;
}

/** The remembered sessions that are not running, oldest first. */
export interface NotRunningList {
  sessions: SessionRecord[];
}

const byName = ParameterStructures.byName;

// Requests (client → host)
export const InitializeRequest = new RequestType<InitializeParams, InitializeResult, void>('initialize', byName);
export const ListSessionsRequest = new RequestType<EmptyParams, SessionListResult, void>('sessions/list', byName);
export const CreateSessionRequest = new RequestType<CreateSessionParams, Session, void>('sessions/create', byName);
export const KillSessionRequest = new RequestType<SessionNameParams, KillResult, void>('sessions/kill', byName);
export const RenameSessionRequest = new RequestType<RenameSessionParams, Session, void>('sessions/rename', byName);
export const ScrollbackRequest = new RequestType<ScrollbackParams, ScrollbackResult, void>('sessions/scrollback', byName);
export const SendTextRequest = new RequestType<SendTextParams, EmptyResult, void>('sessions/sendText', byName);
export const RespawnSessionRequest = new RequestType<RespawnParams, Session, void>('sessions/respawn', byName);
export const AttachCommandRequest = new RequestType<AttachCommandParams, AttachCommandResult, void>('sessions/attachCommand', byName);
export const FindClientRequest = new RequestType<FindClientParams, FindClientResult, void>('clients/find', byName);
export const DetachClientsRequest = new RequestType<DetachClientsParams, DetachClientsResult, void>('clients/detach', byName);
export const PromptRequest = new RequestType<PromptParams, PromptResult, void>('sessions/prompt', byName);
export const AnswerRequest = new RequestType<AnswerParams, AnswerResult, void>('sessions/answer', byName);
export const NotRunningRequest = new RequestType<EmptyParams, NotRunningList, void>('sessions/notRunning', byName);
export const RestoreSessionRequest = new RequestType<SessionNameParams, Session, void>('sessions/restore', byName);
export const ForgetSessionRequest = new RequestType<SessionNameParams, EmptyResult, void>('sessions/forget', byName);
export const RememberSessionRequest = new RequestType<RememberParams, EmptyResult, void>('sessions/remember', byName);
export const PreviewHooksRequest = new RequestType<PreviewHooksParams, HooksPreview, void>('agents/previewHooks', byName);
export const ApplyHooksRequest = new RequestType<ApplyHooksParams, ApplyHooksResult, void>('agents/applyHooks', byName);
export const ShutdownRequest = new RequestType<EmptyParams, EmptyResult, void>('shutdown', byName);

// Notifications (host → client)
export const SessionsChangedNotification = new NotificationType<SessionsChangedParams>('sessions/changed', byName);
export const StatusChangedNotification = new NotificationType<StatusChangedParams>('session/statusChanged', byName);
export const NotRunningChangedNotification = new NotificationType<NotRunningList>('sessions/notRunningChanged', byName);

// Notifications (client → host)
export const SettingsUpdateNotification = new NotificationType<StatusSettings>('settings/update', byName);
export const ExitNotification = new NotificationType0('exit');

/** JSON-RPC error codes the host uses for expected failures. */
export const ErrorCodes = {
  ParseError: -32700,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InvalidName: 1001,
  SessionNotFound: 1002,
  SessionExists: 1003,
  TmuxNotInstalled: 1004,
  TmuxServerUnavailable: 1005,
  TmuxCommandFailed: 1006,
  SessionStillRunning: 1007,
  UnsupportedProtocolVersion: 1008,
  NotWaiting: 1009,
  SettingsNotEditable: 1010,
  SettingsChanged: 1011,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
