// Finds, starts, restarts and stops the Plexus host, and holds the connection to it.
// The last session list the host sent is kept only to render it; the host owns the truth.
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { endOnce } from './lifetime';
import { errorMessage, spawnHost, VersionMismatchError, type HostProcess, type PlexusClient } from './client';
import type { Session, SessionRecord, StatusChangedParams } from './protocol';
import { affectsHost, affectsStatus, hostSettings, statusSettings } from './settings';

export type HostState = 'stopped' | 'starting' | 'ready' | 'tmuxMissing' | 'failed';

/**
 * Why the host failed, for the welcome view: not installed, the .NET runtime the portable host needs is missing,
 * another protocol version, or it keeps stopping.
 */
export type HostFailure = 'hostMissing' | 'runtimeMissing' | 'versionMismatch' | 'crashed';

/** Restart delays: 0.5 s, 1 s, 2 s, 4 s …; give up after this many failures within the window. */
const firstRestartDelayMs = 500;
const maxFailures = 5;
const failureWindowMs = 60_000;
const initializeTimeoutMs = 15_000;
const shutdownTimeoutMs = 2_000;

/**
 * Exit codes of .NET's launcher (the portable host's executable) when it finds no runtime (131) or none of version
 * 10 (150); it prints the details on stderr, which goes to the host log.
 */
const runtimeMissingExitCodes = new Set([131, 150]);

export const runtimeMissingMessage =
  'The Plexus host needs the .NET 10 runtime, which was not found on this machine. Install it (https://dot.net/download), ' +
  'or install the Plexus build for your platform, which needs none (linux-x64 today), then retry.';

export const tmuxMissingMessage = 'tmux not found — install it with `sudo apt install tmux` (or set `plexus.tmux.path`), then retry.';

interface Running extends HostProcess {
  generation: number;
  exited: Promise<void>;
  disposables: { dispose(): unknown }[];
}

export class Host implements vscode.Disposable {
  readonly log: vscode.OutputChannel;

  private readonly stateEmitter = new vscode.EventEmitter<HostState>();
  private readonly sessionsEmitter = new vscode.EventEmitter<readonly Session[]>();
  private readonly statusEmitter = new vscode.EventEmitter<StatusChangedParams>();
  private readonly notRunningEmitter = new vscode.EventEmitter<readonly SessionRecord[]>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires on every state change. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires with the full list whenever the host sends one. */
  readonly onDidChangeSessions = this.sessionsEmitter.event;
  /** Fires once per status transition (`session/statusChanged`). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires with the remembered sessions that do not run, whenever the host sends them. */
  readonly onDidChangeNotRunning = this.notRunningEmitter.event;

  private current: Running | undefined;
  private generation = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures: number[] = [];
  private stateValue: HostState = 'stopped';
  private sessionList: readonly Session[] = [];
  private notRunningList: readonly SessionRecord[] = [];
  private failure: string | undefined;
  private failureKindValue: HostFailure | undefined;
  private socketPathValue: string | undefined;
  private disposing = false;
  private readonly end = endOnce(
    () => this.stop(),
    () => this.disposables.forEach((d) => void d.dispose()),
  );

  constructor(private readonly extensionPath: string) {
    this.log = vscode.window.createOutputChannel('Plexus Host');
    this.disposables.push(
      this.log,
      this.stateEmitter,
      this.sessionsEmitter,
      this.statusEmitter,
      this.notRunningEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsHost(event)) {
          this.logLine('tmux or host settings changed: restarting the host');
          void this.restart();
        } else if (affectsStatus(event) && this.current && this.stateValue === 'ready') {
          void this.current.client.updateSettings(statusSettings());
        }
      }),
    );
  }

  get state(): HostState {
    return this.stateValue;
  }

  get sessions(): readonly Session[] {
    return this.sessionList;
  }

  /** Remembered sessions that do not run, oldest first. */
  get notRunning(): readonly SessionRecord[] {
    return this.notRunningList;
  }

  /** Why the host is not usable (failed or tmux missing), in words for the user. */
  get failureReason(): string | undefined {
    return this.failure;
  }

  /** The tmux socket of the connected host: session ids are unique only within it. */
  get socketPath(): string | undefined {
    return this.socketPathValue;
  }

  get failureKind(): HostFailure | undefined {
    return this.stateValue === 'failed' ? this.failureKindValue : undefined;
  }

  /** Starts the host unless it runs or is starting. */
  start(): void {
    if (this.disposing || this.current || this.restartTimer || this.stateValue === 'starting') {
      return;
    }
    void this.launch();
  }

  /** Stops the host cleanly, forgets past failures and starts it again (Retry, settings change). */
  async restart(): Promise<void> {
    this.failures = [];
    await this.stop();
    if (!this.disposing) {
      void this.launch();
    }
  }

  /** The connected client, waiting for a starting host; throws with a message for the user otherwise. */
  async ready(timeoutMs = 20_000): Promise<PlexusClient> {
    if (this.stateValue === 'stopped') {
      this.start();
    }
    if (this.stateValue === 'starting') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          resolve();
        }, timeoutMs);
        const subscription = this.onDidChangeState((state) => {
          if (state !== 'starting') {
            clearTimeout(timer);
            subscription.dispose();
            resolve();
          }
        });
      });
    }
    const state = this.stateValue;
    if (state === 'ready' && this.current) {
      return this.current.client;
    }
    if (state === 'tmuxMissing') {
      throw new Error(tmuxMissingMessage);
    }
    if (state === 'starting') {
      throw new Error('The Plexus host is still starting. Try again in a moment, or run "Plexus: Show Host Log".');
    }
    throw new Error(this.failure ?? 'The Plexus host is not running. Run "Plexus: Restart Host".');
  }

  /** Asks the host for the list again (Refresh). */
  async refresh(): Promise<void> {
    if (this.stateValue === 'failed' || this.stateValue === 'stopped') {
      await this.restart();
      return;
    }
    const client = await this.ready();
    this.setSessions(await client.listSessions());
  }

  /** `shutdown`, `exit`, then a kill if the host does not leave in time. */
  async stop(): Promise<void> {
    this.generation++;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
    const running = this.current;
    this.current = undefined;
    if (running) {
      const { child, client } = running;
      if (child.exitCode === null && child.signalCode === null) {
        try {
          await withTimeout(client.shutdown(), shutdownTimeoutMs);
        } catch (error) {
          this.logLine(`shutdown: ${errorMessage(error)}`);
        }
        if (!(await settlesWithin(running.exited, shutdownTimeoutMs))) {
          this.logLine('host did not exit after shutdown: terminating it');
          child.kill('SIGTERM');
          if (!(await settlesWithin(running.exited, shutdownTimeoutMs))) {
            child.kill('SIGKILL');
          }
        }
      }
      running.disposables.forEach((d) => void d.dispose());
      client.dispose();
    }
    this.setState('stopped');
  }

  /**
   * The one way the host ends with the extension: stop it (shutdown, exit, kill after a timeout), and only then
   * release the log and the emitters the stop still uses. Every caller gets the same promise. Not a
   * context subscription: `deactivate()` awaits this, as rust-analyzer's `deactivate()` awaits its Ctx.
   */
  dispose(): Promise<void> {
    this.disposing = true;
    return this.end();
  }

  /**
   * The setting, else the native host when this installation carries one (a platform VSIX: no runtime needed),
   * else the portable one (the universal VSIX: framework-dependent, needs the .NET 10 runtime).
   */
  private hostPath(): string {
    return hostSettings().hostPath ?? bundledHosts(this.extensionPath).find((file) => existsSync(file)) ?? bundledHosts(this.extensionPath)[0];
  }

  private async launch(): Promise<void> {
    this.restartTimer = undefined;
    const generation = ++this.generation;
    this.failure = undefined;
    this.setState('starting');

    const settings = hostSettings();
    const hostPath = this.hostPath();
    if (!existsSync(hostPath)) {
      // Not a crash: restarting cannot help until someone builds or installs the host.
      if (settings.hostPath) {
        this.fail('hostMissing', `\`plexus.host.path\` points to ${hostPath}, which does not exist. Correct or clear the setting.`);
      } else {
        this.logLine(`no host at ${hostPath} (developing Plexus? run ./plexus build in the repository)`);
        this.fail('hostMissing', 'The Plexus host is missing from this installation — reinstall the extension.');
      }
      return;
    }

    if (!settings.hostPath) {
      ensureExecutable(hostPath, (message) => this.logLine(message));
    }

    const workspaceFolder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    this.logLine(`starting ${hostPath}`);
    let running: Running;
    try {
      const hostProcess = spawnHost({
        hostPath,
        tmuxPath: settings.tmuxPath,
        tmuxSocketName: settings.tmuxSocketName,
        tmuxSocketPath: settings.tmuxSocketPath,
        rememberSessions: settings.rememberSessions,
        cwd: workspaceFolder?.uri.fsPath,
      });
      const exited = new Promise<void>((resolve) => {
        hostProcess.child.once('exit', (code, signal) => {
          this.logLine(`host exited (${signal ? `signal ${signal}` : `code ${code ?? '?'}`})`);
          resolve();
          if (code !== null && runtimeMissingExitCodes.has(code) && isFrameworkDependent(hostPath) && generation === this.generation) {
            // Not a crash: no restart can help until a runtime is installed.
            if (this.current) {
              this.abandon(this.current);
            }
            this.fail('runtimeMissing', runtimeMissingMessage);
            return;
          }
          this.onExit(generation);
        });
        hostProcess.child.once('error', (error) => {
          this.logLine(`host could not run: ${error.message}`);
          resolve();
          this.onExit(generation, error.message);
        });
      });
      running = { ...hostProcess, generation, exited, disposables: [] };
    } catch (error) {
      this.logLine(`host could not start: ${errorMessage(error)}`);
      this.onExit(generation, errorMessage(error));
      return;
    }
    this.current = running;
    const { child, client } = running;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.log.append(chunk));
    running.disposables.push(
      client.onSessionsChanged(({ sessions }) => {
        if (generation === this.generation) {
          this.setSessions(sessions);
        }
      }),
      client.onStatusChanged((change) => {
        if (generation === this.generation) {
          this.statusEmitter.fire(change);
        }
      }),
      client.onNotRunningChanged(({ sessions }) => {
        if (generation === this.generation) {
          this.setNotRunning(sessions);
        }
      }),
      client.onError((error) => this.logLine(`connection error: ${error.message}`)),
    );

    try {
      const info = await withTimeout(client.initialize('vscode', statusSettings()), initializeTimeoutMs);
      if (generation !== this.generation) {
        return;
      }
      this.logLine(`host ${info.serverVersion}, protocol ${info.protocolVersion}, tmux ${info.tmuxVersion ?? 'not found'}`);
      this.socketPathValue = info.socketPath;
      // The host omits null fields (WhenWritingNull), so "not found" arrives as a missing tmuxVersion.
      if (!info.tmuxVersion) {
        this.failure = tmuxMissingMessage;
        this.setSessions([]);
        this.setState('tmuxMissing');
        return;
      }
      const [sessions, notRunning] = await Promise.all([client.listSessions(), client.notRunning()]);
      if (generation !== this.generation) {
        return;
      }
      this.setSessions(sessions);
      this.setNotRunning(notRunning);
      this.setState('ready');
    } catch (error) {
      if (generation !== this.generation) {
        return;
      }
      if (error instanceof VersionMismatchError) {
        // Not a crash: the same host would refuse again, so stop it without a restart.
        this.logLine(`initialize refused: ${error.detail}`);
        this.abandon(running);
        this.fail('versionMismatch', error.message);
        return;
      }
      this.logLine(`initialize failed: ${errorMessage(error)}`);
      child.kill('SIGKILL');
    }
  }

  /** Drops a host whose exit must not count as a failure or start another. */
  private abandon(running: Running): void {
    this.generation++;
    if (this.current === running) {
      this.current = undefined;
    }
    running.disposables.forEach((d) => void d.dispose());
    running.client.dispose();
    running.child.kill('SIGKILL');
  }

  private onExit(generation: number, reason?: string): void {
    if (generation !== this.generation) {
      return; // a host we stopped on purpose, or one already replaced
    }
    const running = this.current;
    this.current = undefined;
    if (running) {
      running.disposables.forEach((d) => void d.dispose());
      running.client.dispose();
    }
    const now = Date.now();
    this.failures = [...this.failures.filter((t) => now - t < failureWindowMs), now];
    if (this.failures.length >= maxFailures) {
      this.fail(
        'crashed',
        `The Plexus host stopped ${this.failures.length} times within a minute${reason ? ` (${reason})` : ''}. ` +
          'The host log says why.',
      );
      return;
    }
    const delay = firstRestartDelayMs * 2 ** (this.failures.length - 1);
    this.logLine(`restarting the host in ${delay} ms`);
    this.setState('starting');
    this.restartTimer = setTimeout(() => void this.launch(), delay);
  }

  private fail(kind: HostFailure, message: string): void {
    this.failure = message;
    this.failureKindValue = kind;
    this.logLine(message);
    // A stale list would hide the welcome view that explains the failure.
    this.setSessions([]);
    this.setState('failed');
    void vscode.window.showErrorMessage(message, 'Retry', 'Show Host Log').then((choice) => {
      if (choice === 'Retry') {
        void this.restart();
      } else if (choice === 'Show Host Log') {
        this.log.show(true);
      }
    });
  }

  private setSessions(sessions: readonly Session[]): void {
    this.sessionList = sessions;
    this.sessionsEmitter.fire(sessions);
  }

  private setNotRunning(records: readonly SessionRecord[]): void {
    this.notRunningList = records;
    this.notRunningEmitter.fire(records);
  }

  private setState(state: HostState): void {
    if (this.stateValue !== state) {
      this.stateValue = state;
      this.stateEmitter.fire(state);
    }
  }

  logLine(message: string): void {
    this.log.appendLine(`[extension ${new Date().toISOString()}] ${message}`);
  }
}

/** Where an installation carries its host: the native one first, then the portable one. */
function bundledHosts(extensionPath: string): string[] {
  return [path.join(extensionPath, 'out', 'native', 'plexus-host'), path.join(extensionPath, 'out', 'server', 'plexus-host')];
}

/** A framework-dependent host has its assembly beside its launcher; a native one is a single file. */
function isFrameworkDependent(hostPath: string): boolean {
  return existsSync(`${hostPath}.dll`);
}

/** A VSIX may lose the executable bit of the bundled host on extraction; restore it once. */
function ensureExecutable(file: string, log: (message: string) => void): void {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    try {
      chmodSync(file, 0o755);
      log(`made ${file} executable`);
    } catch (error) {
      log(`cannot make ${file} executable: ${errorMessage(error)}`);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}
