// The typed client of the Plexus host: one method per request, events per notification.
// Free of the `vscode` import so node tests drive the real host with it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import {
  CancellationToken,
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type Disposable,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  AnswerRequest,
  ApplyHooksRequest,
  AttachCommandRequest,
  FindClientRequest,
  DetachClientsRequest,
  CreateSessionRequest,
  ErrorCodes,
  ExitNotification,
  InitializeRequest,
  KillSessionRequest,
  ListSessionsRequest,
  NotRunningChangedNotification,
  NotRunningRequest,
  ForgetSessionRequest,
  RememberSessionRequest,
  RestoreSessionRequest,
  PreviewHooksRequest,
  PromptRequest,
  protocolVersion,
  RenameSessionRequest,
  RespawnSessionRequest,
  ScrollbackRequest,
  SendTextRequest,
  SessionsChangedNotification,
  SettingsUpdateNotification,
  ShutdownRequest,
  StatusChangedNotification,
  type AgentKind,
  type AnswerResult,
  type ApplyHooksResult,
  type AttachCommandResult,
  type FindClientResult,
  type CreateSessionParams,
  type ErrorCode,
  type HookChange,
  type HooksPreview,
  type InitializeResult,
  type NotRunningList,
  type SessionRecord,
  type PromptResult,
  type ScrollbackResult,
  type Session,
  type SessionsChangedParams,
  type StatusSettings,
  type StatusChangedParams,
} from './protocol';

export class PlexusClient implements Disposable {
  constructor(private readonly connection: MessageConnection) {
    connection.listen();
  }

  /** Connects to a host speaking on the given streams (its stdout, its stdin). */
  static fromStreams(input: Readable, output: Writable): PlexusClient {
    return new PlexusClient(createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output)));
  }

  onError(handler: (error: Error) => void): Disposable {
    return this.connection.onError(([error]) => handler(error));
  }

  onSessionsChanged(handler: (params: SessionsChangedParams) => void): Disposable {
    return this.connection.onNotification(SessionsChangedNotification, handler);
  }

  onStatusChanged(handler: (params: StatusChangedParams) => void): Disposable {
    return this.connection.onNotification(StatusChangedNotification, handler);
  }

  onNotRunningChanged(handler: (params: NotRunningList) => void): Disposable {
    return this.connection.onNotification(NotRunningChangedNotification, handler);
  }

  /** Throws {@link VersionMismatchError} when the host speaks another protocol version. */
  async initialize(clientName: string, settings?: StatusSettings, token = CancellationToken.None): Promise<InitializeResult> {
    let info: InitializeResult;
    try {
      info = await this.connection.sendRequest(InitializeRequest, { clientName, protocolVersion, ...(settings ? { settings } : {}) }, token);
    } catch (error) {
      throw isError(error, ErrorCodes.UnsupportedProtocolVersion) ? new VersionMismatchError(errorMessage(error)) : error;
    }
    if (info.protocolVersion !== protocolVersion) {
      throw new VersionMismatchError(`the host speaks protocol ${info.protocolVersion}, the extension ${protocolVersion}`);
    }
    return info;
  }

  async listSessions(token = CancellationToken.None): Promise<Session[]> {
    return (await this.connection.sendRequest(ListSessionsRequest, {}, token)).sessions;
  }

  createSession(params: CreateSessionParams, token = CancellationToken.None): Promise<Session> {
    return this.connection.sendRequest(CreateSessionRequest, params, token);
  }

  /** The sessions Plexus remembers that do not run (their server went, or they were killed outside Plexus). */
  async notRunning(token = CancellationToken.None): Promise<SessionRecord[]> {
    return (await this.connection.sendRequest(NotRunningRequest, {}, token)).sessions;
  }

  /** Recreates a remembered session; an agent resumes its own conversation. */
  restoreSession(name: string, token = CancellationToken.None): Promise<Session> {
    return this.connection.sendRequest(RestoreSessionRequest, { name }, token);
  }

  async forgetSession(name: string, token = CancellationToken.None): Promise<void> {
    await this.connection.sendRequest(ForgetSessionRequest, { name }, token);
  }

  /** Kills the session; resolves with the record Plexus forgot, for Undo (`rememberSession`). */
  async killSession(name: string, token = CancellationToken.None): Promise<SessionRecord | undefined> {
    return (await this.connection.sendRequest(KillSessionRequest, { name }, token)).forgotten;
  }

  /** Puts back a record a kill forgot: the session shows as not running, restorable. */
  async rememberSession(record: SessionRecord, token = CancellationToken.None): Promise<void> {
    await this.connection.sendRequest(RememberSessionRequest, { record }, token);
  }

  renameSession(name: string, newName: string, token = CancellationToken.None): Promise<Session> {
    return this.connection.sendRequest(RenameSessionRequest, { name, newName }, token);
  }

  scrollback(name: string, lines?: number, token = CancellationToken.None): Promise<ScrollbackResult> {
    return this.connection.sendRequest(ScrollbackRequest, { name, ...(lines !== undefined ? { lines } : {}) }, token);
  }

  async sendText(name: string, text: string, enter = false, token = CancellationToken.None): Promise<void> {
    await this.connection.sendRequest(SendTextRequest, { name, text, enter }, token);
  }

  /** The question and choices a waiting session shows. */
  prompt(name: string, token = CancellationToken.None): Promise<PromptResult> {
    return this.connection.sendRequest(PromptRequest, { name }, token);
  }

  /** Answers a waiting session's prompt: "allow", "deny" or a choice's number. */
  answer(name: string, answer: string, token = CancellationToken.None): Promise<AnswerResult> {
    return this.connection.sendRequest(AnswerRequest, { name, answer }, token);
  }

  respawnSession(name: string, command?: string, token = CancellationToken.None): Promise<Session> {
    return this.connection.sendRequest(RespawnSessionRequest, { name, ...(command ? { command } : {}) }, token);
  }

  attachCommand(name: string, readOnly = false, ignoreSize = false, token = CancellationToken.None): Promise<AttachCommandResult> {
    return this.connection.sendRequest(AttachCommandRequest, { name, readOnly, ...(ignoreSize ? { ignoreSize } : {}) }, token);
  }

  /** Detaches the tmux clients of the host's server with these process ids; returns how many there were. */
  async detachClients(pids: number[], token = CancellationToken.None): Promise<number> {
    return (await this.connection.sendRequest(DetachClientsRequest, { pids }, token)).detached;
  }

  /** The session the tmux client with process id `pid` shows on the host's server, if it is one of its clients. */
  findClient(pid: number, token = CancellationToken.None): Promise<FindClientResult> {
    return this.connection.sendRequest(FindClientRequest, { pid }, token);
  }

  /** What installing or removing Plexus's hooks would make of the agent's user settings file; writes nothing. */
  previewHooks(agent: AgentKind, change: HookChange, token = CancellationToken.None): Promise<HooksPreview> {
    return this.connection.sendRequest(PreviewHooksRequest, { agent, change }, token);
  }

  /** Makes the previewed change, only if the file still holds `expected` (the preview's `current`). */
  applyHooks(agent: AgentKind, change: HookChange, expected: string | null, token = CancellationToken.None): Promise<ApplyHooksResult> {
    return this.connection.sendRequest(ApplyHooksRequest, { agent, change, ...(expected !== null ? { expected } : {}) }, token);
  }

  updateSettings(settings: StatusSettings): Promise<void> {
    return this.connection.sendNotification(SettingsUpdateNotification, settings);
  }

  /** `shutdown` then `exit`: the host detaches from tmux and exits with code 0. */
  async shutdown(token = CancellationToken.None): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest, {}, token);
    await this.connection.sendNotification(ExitNotification);
  }

  dispose(): void {
    this.connection.dispose();
  }
}

/** Host and extension speak different protocol versions: restarting cannot help, updating Plexus does. */
export class VersionMismatchError extends Error {
  /** What the host or the version check said, for the log. */
  readonly detail: string;

  constructor(detail: string) {
    super('Plexus host and extension versions do not match — update Plexus (reinstall the extension).');
    this.name = 'VersionMismatchError';
    this.detail = detail;
  }
}

/** The JSON-RPC error code of a failed request, if it was one. */
export function errorCode(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.code : undefined;
}

export function isError(error: unknown, code: ErrorCode): boolean {
  return errorCode(error) === code;
}

/** The readable message of a failed request. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface HostOptions {
  hostPath: string;
  tmuxPath?: string;
  tmuxSocketName?: string;
  tmuxSocketPath?: string;
  /** False: the host remembers no sessions (`--no-session-records`). */
  rememberSessions?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The host's command line; the arguments are a list, never a joined string. */
export function hostArguments(options: HostOptions): string[] {
  const args: string[] = [];
  if (options.tmuxPath) {
    args.push('--tmux-path', options.tmuxPath);
  }
  if (options.tmuxSocketPath) {
    args.push('--tmux-socket-path', options.tmuxSocketPath);
  } else if (options.tmuxSocketName) {
    args.push('--tmux-socket-name', options.tmuxSocketName);
  }
  if (options.rememberSessions === false) {
    args.push('--no-session-records');
  }
  return args;
}

export interface HostProcess {
  child: ChildProcessWithoutNullStreams;
  client: PlexusClient;
}

/**
 * The host's environment: the caller's, with the .NET diagnostics IPC socket turned off. The host needs no
 * debugger or dotnet-trace endpoint, and the socket would be one more file in $TMPDIR per running editor.
 */
export function hostEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, DOTNET_EnableDiagnostics: '0' };
}

/** Starts the host over stdio and connects a client to it. stderr is left to the caller. */
export function spawnHost(options: HostOptions): HostProcess {
  const child = spawn(options.hostPath, hostArguments(options), {
    cwd: options.cwd,
    env: hostEnvironment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const client = PlexusClient.fromStreams(child.stdout, child.stdin);
  // A write to a host that just died must not crash the caller; the exit event reports it.
  child.stdin.on('error', () => undefined);
  return { child, client };
}
