// Attaches sessions in VS Code terminals and remembers which terminal shows which session.
// Closing a terminal only detaches its tmux client: the session keeps running. Nothing here kills a session.
import * as vscode from 'vscode';
import type { Host } from './host';
import { displayName } from './presentation';
import type { Session } from './protocol';
import { terminalLocation } from './settings';

/** Set in every Plexus terminal's environment, so terminals VS Code restores after a reload are adopted again. */
const sessionMarker = 'PLEXUS_SESSION';
const sessionIdMarker = 'PLEXUS_SESSION_ID';
const readOnlyMarker = 'PLEXUS_READ_ONLY';
const paneMarker = 'PLEXUS_GRID_PANE';

interface Attached {
  terminal: vscode.Terminal;
  name: string;
  readOnly: boolean;
  /** tmux session id: follows a rename made anywhere. */
  id: string | undefined;
  /** The grid pane (1-based) this terminal was opened in; undefined outside the grid. */
  pane?: number;
}

export type TerminalEntry = Readonly<Attached>;

export interface AttachOptions {
  readOnly?: boolean;
  preserveFocus?: boolean;
  location?: vscode.TerminalOptions['location'];
}

export interface PaneOptions {
  /** 1-based: the editor group (view column) and the pane number remembered in the terminal's environment. */
  pane: number;
  /** Attach so that this view never resizes the session (it is also shown elsewhere). */
  ignoreSize: boolean;
}

export class Terminals implements vscode.Disposable {
  private readonly attached: Attached[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when a Plexus terminal opens, closes, or its session is renamed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly host: Host) {
    this.disposables.push(
      this.changeEmitter,
      vscode.window.onDidOpenTerminal((terminal) => void this.adopt(terminal)),
      vscode.window.onDidCloseTerminal((terminal) => {
        const index = this.attached.findIndex((a) => a.terminal === terminal);
        if (index >= 0) {
          this.attached.splice(index, 1);
          this.changeEmitter.fire();
        }
      }),
      host.onDidChangeSessions((sessions) => this.follow(sessions)),
      vscode.window.onDidChangeActiveTerminal((terminal) => this.retitle(terminal)),
    );
    vscode.window.terminals.forEach((terminal) => void this.adopt(terminal));
  }

  /** Open Plexus terminals in the order VS Code shows them. */
  get entries(): readonly TerminalEntry[] {
    const order = vscode.window.terminals;
    return [...this.attached].sort((a, b) => order.indexOf(a.terminal) - order.indexOf(b.terminal));
  }

  /** The session's terminal: by tmux session id when the host listed it (renames keep it), else by name. */
  find(name: string): vscode.Terminal | undefined {
    const id = this.host.sessions.find((s) => s.name === name)?.id;
    return ((id !== undefined ? this.attached.find((a) => a.id === id) : undefined) ?? this.attached.find((a) => a.name === name))?.terminal;
  }

  /** Whether this window shows the session in a terminal. */
  has(session: Session): boolean {
    return this.attached.some((a) => a.id === session.id || (a.id === undefined && a.name === session.name));
  }

  /** Closes the session's terminals, which detaches their tmux clients: the session keeps running. */
  detach(name: string): boolean {
    const closing = this.attached.filter((a) => a.terminal === this.find(name));
    closing.forEach((a) => a.terminal.dispose());
    return closing.length > 0;
  }

  nameOf(terminal: vscode.Terminal | undefined): string | undefined {
    return terminal ? this.attached.find((a) => a.terminal === terminal)?.name : undefined;
  }

  /** Focuses the session's terminal, attaching it first when it has none. */
  async attach(name: string, options: AttachOptions = {}): Promise<vscode.Terminal> {
    const existing = this.find(name);
    if (existing) {
      existing.show(options.preserveFocus ?? false);
      return existing;
    }
    const readOnly = options.readOnly ?? false;
    const location = options.location ?? (terminalLocation() === 'editor' ? vscode.TerminalLocation.Editor : vscode.TerminalLocation.Panel);
    const terminal = await this.create(name, readOnly, location);
    terminal.show(options.preserveFocus ?? false);
    return terminal;
  }

  /**
   * A new terminal on the session in grid pane N's editor group, beside any terminal the session already has
   * (a terminal cannot move between groups through the API, so a pane always gets its own).
   */
  openPane(name: string, options: PaneOptions): Promise<vscode.Terminal> {
    return this.create(name, false, { viewColumn: options.pane, preserveFocus: true }, options);
  }

  /** Whether the session has a terminal in this window outside the grid. */
  hasOutsideGrid(session: Session): boolean {
    return this.attached.some((a) => a.pane === undefined && (a.id === session.id || (a.id === undefined && a.name === session.name)));
  }

  private async create(name: string, readOnly: boolean, location: vscode.TerminalOptions['location'], pane?: PaneOptions): Promise<vscode.Terminal> {
    const client = await this.host.ready();
    const command = await client.attachCommand(name, readOnly, pane?.ignoreSize ?? false);
    const session = this.host.sessions.find((s) => s.name === name);
    const terminal = vscode.window.createTerminal({
      name: terminalTitle(name, readOnly),
      shellPath: command.file,
      shellArgs: command.args,
      env: {
        ...command.env,
        [sessionMarker]: name,
        ...(session ? { [sessionIdMarker]: session.id } : {}),
        ...(readOnly ? { [readOnlyMarker]: '1' } : {}),
        ...(pane ? { [paneMarker]: String(pane.pane) } : {}),
      },
      iconPath: new vscode.ThemeIcon('terminal-tmux'),
      location,
      // Grid panes are not restored by VS Code: the grid lays itself out again after a reload, and a restored pane
      // terminal would be a second client of its session.
      isTransient: pane !== undefined,
    });
    this.track(terminal, name, readOnly, session?.id, pane?.pane);
    return terminal;
  }

  dispose(): void {
    // Terminals stay open: VS Code restores them, and closing them would only detach.
    this.disposables.forEach((d) => void d.dispose());
  }

  private track(terminal: vscode.Terminal, name: string, readOnly: boolean, id: string | undefined, pane: number | undefined): void {
    if (!this.attached.some((a) => a.terminal === terminal)) {
      this.attached.push({ terminal, name, readOnly, id, ...(pane !== undefined ? { pane } : {}) });
      this.changeEmitter.fire();
    }
  }

  /** Recognises a terminal Plexus created, e.g. one restored by VS Code after a reload. */
  private async adopt(terminal: vscode.Terminal): Promise<void> {
    const env = (terminal.creationOptions as vscode.TerminalOptions)?.env;
    const name = env?.[sessionMarker];
    if (name) {
      const id = env[sessionIdMarker] || this.host.sessions.find((s) => s.name === name)?.id;
      const pane = Number(env[paneMarker]) || undefined;
      this.track(terminal, name, env[readOnlyMarker] === '1', id, pane);
      this.follow(this.host.sessions);
      return;
    }
    // A terminal VS Code reconnected after a reload comes back without its creation options; its process is the
    // tmux client, and the host knows which session each client of its server shows (on every platform). Grid panes
    // are transient terminals, never reconnected, so such a terminal is no pane.
    const pid = await terminal.processId;
    const client = pid === undefined ? undefined : await this.host.ready().then((c) => c.findClient(pid)).catch(() => undefined);
    if (client?.session) {
      this.track(terminal, client.session, client.readOnly === true, client.sessionId, undefined);
      this.follow(this.host.sessions);
    }
  }

  /**
   * Gives a terminal whose session was renamed its new title. VS Code renames only the active terminal
   * (`renameWithArg` has no target), so a terminal in the background gets it when it next becomes active.
   */
  private retitle(terminal: vscode.Terminal | undefined): void {
    const entry = this.attached.find((a) => a.terminal === terminal);
    const title = entry && terminalTitle(entry.name, entry.readOnly);
    if (title !== undefined && terminal?.name !== title) {
      void vscode.commands.executeCommand('workbench.action.terminal.renameWithArg', { name: title });
    }
  }

  /** Keeps names right when sessions are renamed (here or elsewhere), matched by tmux session id. */
  private follow(sessions: readonly Session[]): void {
    let changed = false;
    for (const entry of this.attached) {
      if (entry.id === undefined) {
        entry.id = sessions.find((s) => s.name === entry.name)?.id;
        continue;
      }
      // Only a name that vanished can have been renamed; ids alone could match a session of another server.
      const session = sessions.some((s) => s.name === entry.name) ? undefined : sessions.find((s) => s.id === entry.id);
      if (session && session.name !== entry.name) {
        entry.name = session.name;
        changed = true;
        this.retitle(vscode.window.activeTerminal);
      }
    }
    if (changed) {
      this.changeEmitter.fire();
    }
  }
}

function terminalTitle(name: string, readOnly: boolean): string {
  const shown = displayName(name);
  return readOnly ? `${shown} (read-only)` : shown;
}
