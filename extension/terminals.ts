// Attaches sessions in VS Code terminals and remembers which terminal shows which session.
// Closing a terminal only detaches its tmux client: the session keeps running. Nothing here kills a session.
import * as vscode from 'vscode';
import type { Host } from './host';
import { gridShape } from './presentation';
import type { Session } from './protocol';
import { terminalLocation } from './settings';

/** Set in every Plexus terminal's environment, so terminals VS Code restores after a reload are adopted again. */
const sessionMarker = 'PLEXUS_SESSION';

interface Attached {
  terminal: vscode.Terminal;
  name: string;
  /** tmux session id: follows a rename made anywhere. */
  id: string | undefined;
}

export interface AttachOptions {
  readOnly?: boolean;
  preserveFocus?: boolean;
  location?: vscode.TerminalOptions['location'];
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
      vscode.window.onDidOpenTerminal((terminal) => this.adopt(terminal)),
      vscode.window.onDidCloseTerminal((terminal) => {
        const index = this.attached.findIndex((a) => a.terminal === terminal);
        if (index >= 0) {
          this.attached.splice(index, 1);
          this.changeEmitter.fire();
        }
      }),
      host.onDidChangeSessions((sessions) => this.follow(sessions)),
    );
    vscode.window.terminals.forEach((terminal) => this.adopt(terminal));
  }

  /** Open Plexus terminals in the order VS Code shows them. */
  get entries(): readonly { name: string; terminal: vscode.Terminal }[] {
    const order = vscode.window.terminals;
    return [...this.attached].sort((a, b) => order.indexOf(a.terminal) - order.indexOf(b.terminal));
  }

  find(name: string): vscode.Terminal | undefined {
    return this.attached.find((a) => a.name === name)?.terminal;
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
    const client = await this.host.ready();
    const command = await client.attachCommand(name, options.readOnly ?? false);
    const session = this.host.sessions.find((s) => s.name === name);
    const terminal = vscode.window.createTerminal({
      name: options.readOnly ? `${name} (read-only)` : name,
      shellPath: command.file,
      shellArgs: command.args,
      env: { ...command.env, [sessionMarker]: name },
      iconPath: new vscode.ThemeIcon('terminal-tmux'),
      location: options.location ?? (terminalLocation() === 'editor' ? vscode.TerminalLocation.Editor : vscode.TerminalLocation.Panel),
      isTransient: false,
    });
    this.track(terminal, name, session?.id);
    terminal.show(options.preserveFocus ?? false);
    return terminal;
  }

  /** Opens every session's terminal in the editor area, side by side in a grid (at most 9). */
  async openGrid(sessions: readonly Session[]): Promise<void> {
    const shown = sessions.slice(0, 9);
    if (shown.length === 0) {
      void vscode.window.showInformationMessage('No sessions to show. Create one first.');
      return;
    }
    const { rows, columns } = gridShape(shown.length);
    // orientation 1: rows stacked vertically, each row split into columns; groups are numbered row by row.
    await vscode.commands.executeCommand('vscode.setEditorLayout', {
      orientation: 1,
      groups: Array.from({ length: rows }, () => ({ groups: Array.from({ length: columns }, () => ({})) })),
    });
    for (const [index, session] of shown.entries()) {
      // A terminal cannot move between groups through the API: detach it and attach again in its cell.
      this.find(session.name)?.dispose();
      await this.attach(session.name, { location: { viewColumn: index + 1, preserveFocus: true }, preserveFocus: true });
    }
    if (sessions.length > shown.length) {
      void vscode.window.showInformationMessage(`Showing 9 of ${sessions.length} sessions. Attach the others from the Sessions view.`);
    }
  }

  dispose(): void {
    // Terminals stay open: VS Code restores them, and closing them would only detach.
    this.disposables.forEach((d) => void d.dispose());
  }

  private track(terminal: vscode.Terminal, name: string, id: string | undefined): void {
    if (!this.attached.some((a) => a.terminal === terminal)) {
      this.attached.push({ terminal, name, id });
      this.changeEmitter.fire();
    }
  }

  /** Recognises a terminal Plexus created, e.g. one restored by VS Code after a reload. */
  private adopt(terminal: vscode.Terminal): void {
    const options = terminal.creationOptions as vscode.TerminalOptions;
    const marked = options?.env?.[sessionMarker];
    if (typeof marked === 'string' && marked !== '') {
      this.track(terminal, marked, this.host.sessions.find((s) => s.name === marked)?.id);
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
        if (vscode.window.activeTerminal === entry.terminal) {
          void vscode.commands.executeCommand('workbench.action.terminal.renameWithArg', { name: session.name });
        }
      }
    }
    if (changed) {
      this.changeEmitter.fire();
    }
  }
}
