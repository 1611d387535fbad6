// The pane grid: an editor layout of 1×1 … 4×4 groups, each showing one session in a native terminal or, when
// empty, a small webview listing the sessions. Which session sits in which pane is kept by tmux session id in the
// workspace state, so the grid comes back after a reload. Nothing here kills or detaches a session silently.
import * as vscode from 'vscode';
import type { Host } from './host';
import { describeSession, displayName, nowSeconds, sortSessions, treeIcon } from './presentation';
import type { Session } from './protocol';
import { sortBy } from './settings';
import type { Terminals } from './terminals';

export interface GridShape {
  rows: number;
  columns: number;
}

/** The layouts offered, rows × columns. */
export const gridLayouts: readonly GridShape[] = [
  [1, 1], [1, 2], [2, 1], [2, 2], [2, 3], [3, 2], [3, 3], [3, 4], [4, 4],
].map(([rows, columns]) => ({ rows, columns }));

export const emptyPaneViewType = 'plexus.emptyPane';
const stateKey = 'plexus.grid';

interface SavedGrid extends GridShape {
  socket: string;
  /** Session id per pane, row by row; null is an empty pane. */
  panes: (string | null)[];
}

export interface PaneSlot {
  number: number;
  session: Session | undefined;
}

export function layoutLabel(shape: GridShape): string {
  return `${shape.rows}×${shape.columns}`;
}

/** `vscode.setEditorLayout`'s argument: rows stacked vertically (orientation 1), each split into columns. */
export function editorLayout(shape: GridShape): unknown {
  return {
    orientation: 1,
    groups: Array.from({ length: shape.rows }, () => ({ size: 1 / shape.rows, groups: Array.from({ length: shape.columns }, () => ({ size: 1 / shape.columns })) })),
  };
}

/** The panes of a new shape: pane N keeps its session when it still exists; the sessions left over are returned. */
export function reshape(panes: readonly (string | null)[], count: number): { panes: (string | null)[]; dropped: string[] } {
  const kept = Array.from({ length: count }, (_, i) => panes[i] ?? null);
  const dropped = panes.slice(count).filter((p): p is string => p !== null);
  return { panes: kept, dropped };
}

export class Grid implements vscode.Disposable {
  private shape: GridShape | undefined;
  private panes: (string | null)[] = [];
  private readonly paneTerminals = new Map<number, vscode.Terminal>();
  private readonly paneViews = new Map<number, vscode.WebviewPanel>();
  /** Editors Plexus closes itself: their close is not the user's. */
  private readonly closing = new Set<vscode.Terminal | vscode.WebviewPanel>();
  private queue: Promise<void> = Promise.resolve();
  /** Sessions created for a pane before the host's list names them. */
  private readonly fresh = new Map<string, Session>();
  private busy = 0;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when the layout or a pane's session changes. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
    private readonly state: vscode.Memento,
  ) {
    this.disposables.push(
      this.changeEmitter,
      vscode.window.onDidCloseTerminal((terminal) => this.closed(terminal)),
      terminals.onDidChange(() => this.closeStrays()),
      host.onDidChangeSessions(() => this.sessionsChanged()),
      // Empty panes restored by a reload are replaced by fresh ones when the grid is rebuilt.
      vscode.window.registerWebviewPanelSerializer(emptyPaneViewType, {
        deserializeWebviewPanel: (panel) => {
          this.closing.add(panel);
          panel.dispose();
          return Promise.resolve();
        },
      }),
      vscode.window.onDidChangeActiveTerminal(() => this.setActiveContext()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.setActiveContext()),
    );
    void this.restore();
  }

  get isOpen(): boolean {
    return this.shape !== undefined;
  }

  get layout(): GridShape | undefined {
    return this.shape;
  }

  slots(): PaneSlot[] {
    return this.panes.map((id, i) => ({ number: i + 1, session: id === null ? undefined : this.host.sessions.find((s) => s.id === id) }));
  }

  /** The first empty pane (1-based), if any. */
  firstEmpty(): number | undefined {
    const index = this.panes.indexOf(null);
    return index < 0 ? undefined : index + 1;
  }

  /** The pane whose editor is active (1-based), if a grid pane is. */
  activePane(): number | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTerminal) {
      for (const [index, terminal] of this.paneTerminals) {
        if (terminal === vscode.window.activeTerminal) {
          return index + 1;
        }
      }
    }
    for (const [index, view] of this.paneViews) {
      if (view.active) {
        return index + 1;
      }
    }
    return undefined;
  }

  /** Lays the editor area out as `shape`; panes keep their sessions where they still fit. */
  apply(shape: GridShape): Promise<void> {
    return this.enqueue(async () => {
      const { panes, dropped } = reshape(this.panes, shape.rows * shape.columns);
      this.shape = shape;
      this.panes = panes;
      await this.rebuild();
      const names = dropped.map((id) => this.host.sessions.find((s) => s.id === id)?.name).filter((n): n is string => n !== undefined);
      if (names.length > 0) {
        void vscode.window.showInformationMessage(
          `${names.map((n) => `'${displayName(n)}'`).join(', ')} no longer ${names.length === 1 ? 'fits' : 'fit'} in the ${layoutLabel(shape)} grid and ${names.length === 1 ? 'keeps' : 'keep'} running — attach from the Sessions view.`,
        );
      }
    });
  }

  /**
   * Shows the session in pane N (it leaves any other pane), or empties the pane (its session keeps running).
   * `session` may be one just created, which the host's next list has not named yet.
   */
  put(pane: number, session: Session | string | null): Promise<void> {
    const sessionId = typeof session === 'object' && session !== null ? session.id : session;
    if (typeof session === 'object' && session !== null) {
      this.fresh.set(session.id, session);
    }
    return this.enqueue(async () => {
      const index = pane - 1;
      if (index < 0 || index >= this.panes.length) {
        return;
      }
      const other = sessionId === null ? -1 : this.panes.indexOf(sessionId);
      if (other === index) {
        return;
      }
      this.panes[index] = sessionId;
      if (other >= 0) {
        this.panes[other] = null;
      }
      if (!this.groupsIntact()) {
        await this.rebuild();
        return;
      }
      await this.refill(index);
      if (other >= 0) {
        await this.refill(other);
      }
      this.saved();
    });
  }

  /** Focuses pane N: its terminal, or an empty pane's picker. */
  async focus(pane: number): Promise<void> {
    const terminal = this.paneTerminals.get(pane - 1);
    if (terminal) {
      terminal.show(false);
      return;
    }
    const view = this.paneViews.get(pane - 1);
    if (view) {
      view.reveal(view.viewColumn, false);
      await this.pickInto(pane);
    }
  }

  /** A quick pick of the sessions; the chosen one goes into pane N. */
  async pickInto(pane: number): Promise<void> {
    await this.host.ready();
    const now = nowSeconds();
    const picked = await vscode.window.showQuickPick(
      sortSessions(this.host.sessions, sortBy()).map((s) => ({
        label: `$(${treeIcon(s.status).id.replace('~spin', '')}) ${displayName(s.name)}`,
        description: describeSession(s, now),
        id: s.id,
      })),
      { placeHolder: `Session to show in pane #${pane}` },
    );
    if (picked) {
      await this.put(pane, picked.id);
    }
  }

  sessionOf(pane: number): Session | undefined {
    const id = this.panes[pane - 1];
    return id ? this.host.sessions.find((s) => s.id === id) : undefined;
  }

  dispose(): void {
    // Panes stay open: VS Code restores the layout and the grid fills it again after a reload.
    this.disposables.forEach((d) => void d.dispose());
  }

  private async restore(): Promise<void> {
    const saved = this.state.get<SavedGrid>(stateKey);
    if (!saved) {
      return;
    }
    await this.host.ready().catch(() => undefined);
    if (this.host.state !== 'ready' || this.shape !== undefined) {
      return;
    }
    const alive = new Set(this.host.sessions.map((s) => s.id));
    const samesocket = saved.socket === (this.host.socketPath ?? '');
    await this.enqueue(async () => {
      this.shape = { rows: saved.rows, columns: saved.columns };
      this.panes = saved.panes.map((id) => (samesocket && id !== null && alive.has(id) ? id : null));
      await this.rebuild();
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      this.busy++;
      try {
        await work();
      } finally {
        this.busy--;
        this.closeStrays();
        this.setActiveContext();
        this.changeEmitter.fire();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Every pane made again in a fresh layout: new editors first, then the old ones closed, so no group empties. */
  private async rebuild(): Promise<void> {
    if (!this.shape) {
      return;
    }
    const old = [...this.paneTerminals.values(), ...this.paneViews.values()];
    this.paneTerminals.clear();
    this.paneViews.clear();
    await vscode.commands.executeCommand('vscode.setEditorLayout', editorLayout(this.shape));
    for (let index = 0; index < this.panes.length; index++) {
      await this.fill(index);
    }
    this.close(old);
    this.saved();
  }

  /** Replaces one pane's editor in its group: the new one opens before the old one closes. */
  private async refill(index: number): Promise<void> {
    const old = [this.paneTerminals.get(index), this.paneViews.get(index)].filter((e) => e !== undefined);
    this.paneTerminals.delete(index);
    this.paneViews.delete(index);
    await this.fill(index);
    this.close(old);
  }

  private async fill(index: number): Promise<void> {
    const id = this.panes[index];
    const session = id === null ? undefined : (this.host.sessions.find((s) => s.id === id) ?? this.fresh.get(id));
    if (id !== null) {
      this.fresh.delete(id);
    }
    if (session) {
      try {
        const terminal = await this.terminals.openPane(session.name, { pane: index + 1, ignoreSize: this.terminals.hasOutsideGrid(session) });
        this.paneTerminals.set(index, terminal);
        return;
      } catch {
        this.panes[index] = null; // ended meanwhile: the pane is empty
      }
    }
    this.paneViews.set(index, this.emptyPane(index));
  }

  private close(editors: readonly (vscode.Terminal | vscode.WebviewPanel)[]): void {
    for (const editor of editors) {
      this.closing.add(editor);
      editor.dispose();
    }
  }

  /** Whether the editor groups still match the panes (a group closes with its last editor, renumbering the rest). */
  private groupsIntact(): boolean {
    return vscode.window.tabGroups.all.length === this.panes.length;
  }

  /** A pane's terminal closed by the user, or its session ended: the pane becomes empty. */
  private closed(terminal: vscode.Terminal): void {
    if (this.closing.delete(terminal)) {
      return;
    }
    const index = [...this.paneTerminals].find(([, t]) => t === terminal)?.[0];
    if (index === undefined) {
      return;
    }
    this.paneTerminals.delete(index);
    void this.enqueue(async () => {
      this.panes[index] = null;
      if (this.groupsIntact() && !this.paneViews.has(index)) {
        await this.fill(index);
        this.saved();
      } else {
        await this.rebuild();
      }
    });
  }

  private viewClosed(panel: vscode.WebviewPanel): void {
    if (this.closing.delete(panel)) {
      return;
    }
    const index = [...this.paneViews].find(([, v]) => v === panel)?.[0];
    if (index !== undefined) {
      // Closing an empty pane closes its group: lay the grid out again (choose a smaller layout to have fewer panes).
      this.paneViews.delete(index);
      void this.enqueue(() => this.rebuild());
    }
  }

  /** Grid terminals that are no pane's any more (e.g. restored by a reload before the grid was rebuilt). */
  private closeStrays(): void {
    if (this.busy > 0) {
      return;
    }
    const current = new Set(this.paneTerminals.values());
    const strays = this.terminals.entries.filter((e) => e.pane !== undefined && !current.has(e.terminal) && !this.closing.has(e.terminal));
    this.close(strays.map((e) => e.terminal));
  }

  private sessionsChanged(): void {
    const alive = new Set(this.host.sessions.map((s) => s.id));
    // A pane whose session ended becomes empty when its terminal closes. The lists in the empty panes change in
    // place (a message): setting the html again would reload the page under the user's click.
    for (const [index, view] of this.paneViews) {
      void view.webview.postMessage({ type: 'sessions', html: this.sessionListHtml(index + 1) });
    }
    if (this.panes.some((id) => id !== null && !alive.has(id))) {
      this.panes = this.panes.map((id) => (id !== null && alive.has(id) ? id : null));
      this.saved();
    }
    this.changeEmitter.fire();
  }

  private saved(): void {
    if (this.shape) {
      const saved: SavedGrid = { ...this.shape, socket: this.host.socketPath ?? '', panes: this.panes };
      void this.state.update(stateKey, saved);
    }
  }

  private setActiveContext(): void {
    void vscode.commands.executeCommand('setContext', 'plexus.gridOpen', this.isOpen);
    void vscode.commands.executeCommand('setContext', 'plexus.gridPaneAttached', this.activePane() !== undefined && this.sessionOf(this.activePane() ?? 0) !== undefined);
  }

  private emptyPane(index: number): vscode.WebviewPanel {
    const pane = index + 1;
    const panel = vscode.window.createWebviewPanel(emptyPaneViewType, `#${pane} empty`, { viewColumn: pane, preserveFocus: true }, { enableScripts: true });
    panel.webview.html = this.emptyPaneHtml(pane, panel.webview);
    panel.webview.onDidReceiveMessage((message: { type?: string; id?: string }) => {
      if (message.type === 'attach' && typeof message.id === 'string') {
        void this.put(pane, message.id);
      } else if (message.type === 'create') {
        void vscode.commands.executeCommand('plexus.createSession', { pane });
      }
    });
    panel.onDidDispose(() => this.viewClosed(panel));
    panel.onDidChangeViewState(() => this.setActiveContext());
    return panel;
  }

  private sessionListHtml(pane: number): string {
    const now = nowSeconds();
    const rows = sortSessions(this.host.sessions, sortBy())
      .map((s) => {
        const [status, ...rest] = describeSession(s, now).split(' · ');
        const where = this.panes.indexOf(s.id);
        return `<li><button class="session" data-id="${escapeHtml(s.id)}" title="Show '${escapeHtml(displayName(s.name))}' in pane #${pane}">` +
          `<span class="name">${escapeHtml(displayName(s.name))}</span> <span class="status">${escapeHtml(status)}</span>` +
          `<span class="detail">${escapeHtml(rest.join(' · '))}${where >= 0 ? ` · in pane #${where + 1}` : ''}</span></button></li>`;
      })
      .join('');
    return rows ? `<p>Click a session to show it here.</p><ul>${rows}</ul>` : '<p>No sessions yet.</p>';
  }

  private emptyPaneHtml(pane: number, webview: vscode.Webview): string {
    const nonce = Math.random().toString(36).slice(2);
    return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 8px 12px; }
h1 { font-size: 1.1em; font-weight: 600; margin: 0 0 8px; }
ul { list-style: none; padding: 0; margin: 0 0 12px; }
li { margin: 2px 0; }
button { font: inherit; cursor: pointer; }
.session { width: 100%; text-align: left; background: var(--vscode-list-hoverBackground, transparent); color: inherit; border: 1px solid var(--vscode-widget-border, transparent); padding: 4px 8px; }
.session:hover, .session:focus { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.name { font-weight: 600; } .detail { display: block; opacity: .8; font-size: .9em; }
.create { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; }
</style></head><body>
<h1>Pane #${pane} — empty</h1>
<div id="list">${this.sessionListHtml(pane)}</div>
<button class="create">Create Session</button>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('list').addEventListener('click', (e) => {
  const button = e.target.closest('.session');
  if (button) vscode.postMessage({ type: 'attach', id: button.dataset.id });
});
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'sessions') document.getElementById('list').innerHTML = e.data.html;
});
document.querySelector('.create').addEventListener('click', () => vscode.postMessage({ type: 'create' }));
</script></body></html>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Grid Layout…, Focus Pane, and the pane actions Switch Session…, Detach and Kill. */
export function registerGridCommands(grid: Grid): vscode.Disposable[] {
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<void> => {
      try {
        await action(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      }
    };

  /** The pane a command is about: its argument, else the active pane, else a quick pick. */
  const paneOf = async (arg: unknown, attachedOnly: boolean): Promise<number | undefined> => {
    if (typeof arg === 'number') {
      return arg;
    }
    const active = grid.activePane();
    if (active !== undefined) {
      return active;
    }
    const slots = grid.slots().filter((s) => !attachedOnly || s.session);
    if (!grid.isOpen || slots.length === 0) {
      void vscode.window.showInformationMessage(grid.isOpen ? 'No pane shows a session.' : 'No grid is open. Choose one with "Plexus: Grid Layout…".');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      slots.map((s) => ({ label: `#${s.number}`, description: s.session ? displayName(s.session.name) : 'empty', number: s.number })),
      { placeHolder: 'Pane' },
    );
    return picked?.number;
  };

  const chooseLayout = async () => {
    const current = grid.layout;
    const picked = await vscode.window.showQuickPick(
      gridLayouts.map((shape) => ({
        label: layoutLabel(shape),
        description: `${shape.rows * shape.columns} ${shape.rows * shape.columns === 1 ? 'pane' : 'panes'}${current && layoutLabel(current) === layoutLabel(shape) ? ' (current)' : ''}`,
        shape,
      })),
      { placeHolder: 'Grid layout: sessions stay in their panes when they fit' },
    );
    if (picked) {
      await grid.apply(picked.shape);
    }
  };

  return [
    vscode.commands.registerCommand('plexus.gridLayout', run(async (arg?: string) => {
      const shape = typeof arg === 'string' ? gridLayouts.find((s) => layoutLabel(s) === arg.replace('x', '×')) : undefined;
      await (shape ? grid.apply(shape) : chooseLayout());
    })),
    vscode.commands.registerCommand('plexus.focusPane', run(async (arg?: number) => {
      const pane = await paneOf(arg, false);
      if (pane !== undefined) {
        await grid.focus(pane);
      }
    })),
    vscode.commands.registerCommand('plexus.paneSwitchSession', run(async (arg?: number) => {
      const pane = await paneOf(arg, false);
      if (pane !== undefined) {
        await grid.pickInto(pane);
      }
    })),
    vscode.commands.registerCommand('plexus.paneDetach', run(async (arg?: number) => {
      const pane = await paneOf(arg, true);
      if (pane !== undefined) {
        await grid.put(pane, null);
      }
    })),
    vscode.commands.registerCommand('plexus.paneKill', run(async (arg?: number) => {
      const pane = await paneOf(arg, true);
      const session = pane === undefined ? undefined : grid.sessionOf(pane);
      if (session) {
        await vscode.commands.executeCommand('plexus.killSession', session.name); // confirms first
      }
    })),
  ];
}
