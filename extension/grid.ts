// The pane grid: an editor layout of 1×1 … 4×4 groups, each showing one session in a native terminal or, when
// empty, a terminal that lists the sessions (emptyPaneView.ts). Which session sits in which pane is kept by tmux session id in the
// workspace's storage folder, so the grid comes back after a reload. Nothing here kills or detaches a session silently.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { run } from './commands';
import { drawEmptyPane, type PaneInput, type PaneTarget, paneSetup, readPaneInput } from './emptyPaneView';
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

/**
 * Where the grid is kept between windows: a file in the workspace's storage folder, written at once. The workspace
 * state (a Memento) reaches its disk later, and a reload soon after a change lost the last panes' client pids.
 */
export class GridStore {
  constructor(
    private readonly folder: vscode.Uri | undefined,
    private readonly fallback: vscode.Memento,
  ) {}

  read(): SavedGrid | undefined {
    if (!this.folder) {
      return this.fallback.get<SavedGrid>('plexus.grid');
    }
    try {
      return JSON.parse(fs.readFileSync(this.file(this.folder), 'utf8')) as SavedGrid;
    } catch {
      return undefined; // none yet, or unreadable: no grid to bring back
    }
  }

  write(grid: SavedGrid): void {
    if (!this.folder) {
      void this.fallback.update('plexus.grid', grid);
      return;
    }
    try {
      fs.mkdirSync(this.folder.fsPath, { recursive: true });
      fs.writeFileSync(this.file(this.folder), JSON.stringify(grid));
    } catch {
      void this.fallback.update('plexus.grid', grid);
    }
  }

  private file(folder: vscode.Uri): string {
    return path.join(folder.fsPath, 'grid.json');
  }
}

export interface SavedGrid extends GridShape {
  socket: string;
  /** Session id per pane, row by row; null is an empty pane. */
  panes: (string | null)[];
  /**
   * The tmux client processes of the pane terminals. A reload leaves them running unseen (the editor keeps a
   * window's terminal processes for a reconnect): the grid detaches them before it attaches its panes again.
   */
  clientPids?: number[];
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
  private readonly paneViews = new Map<number, EmptyPane>();
  private readonly clientPids = new Map<vscode.Terminal, number>();
  private shuttingDown = false;
  /** Terminals Plexus closes itself: their close is not the user's. */
  private readonly closing = new Set<vscode.Terminal>();
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
    private readonly store: GridStore,
  ) {
    this.disposables.push(
      this.changeEmitter,
      vscode.window.onDidCloseTerminal((terminal) => this.closed(terminal)),
      terminals.onDidChange(() => this.closeStrays()),
      host.onDidChangeSessions(() => this.sessionsChanged()),
      vscode.window.onDidChangeActiveTerminal(() => this.setActiveContext()),
      // The empty panes show how long each status has lasted, like the Sessions view.
      new vscode.Disposable(clearInterval.bind(undefined, setInterval(() => this.paneViews.forEach((view) => view.refresh()), 1000))),
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
    if (!(input instanceof vscode.TabInputTerminal)) {
      return undefined;
    }
    const active = vscode.window.activeTerminal;
    for (const [index, terminal] of this.paneTerminals) {
      if (terminal === active) {
        return index + 1;
      }
    }
    for (const [index, view] of this.paneViews) {
      if (view.terminal === active) {
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
      view.terminal.show(false);
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
    const saved = this.store.read();
    if (!saved) {
      return;
    }
    await this.host.ready().catch(() => undefined);
    if (this.host.state !== 'ready' || this.shape !== undefined) {
      return;
    }
    const alive = new Set(this.host.sessions.map((s) => s.id));
    const samesocket = saved.socket === (this.host.socketPath ?? '');
    if (samesocket && saved.clientPids?.length) {
      const client = await this.host.ready();
      await client.detachClients(saved.clientPids).catch(() => 0);
    }
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
    const old = [...this.paneTerminals.values(), ...[...this.paneViews.values()].map((v) => v.terminal)];
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
    const old = [this.paneTerminals.get(index), this.paneViews.get(index)?.terminal].filter((e) => e !== undefined);
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
        void terminal.processId.then((pid) => {
          if (pid !== undefined) {
            this.clientPids.set(terminal, pid);
            this.saved();
          }
        });
        return;
      } catch {
        this.panes[index] = null; // ended meanwhile: the pane is empty
      }
    }
    this.paneViews.set(index, this.emptyPane(index));
  }

  private close(terminals: readonly vscode.Terminal[]): void {
    for (const terminal of terminals) {
      this.closing.add(terminal);
      this.clientPids.delete(terminal);
      terminal.dispose();
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
    if (terminal.exitStatus?.reason === vscode.TerminalExitReason.Shutdown) {
      // The window is closing or reloading: the grid stays as saved, to come back as it was.
      this.shuttingDown = true;
      return;
    }
    if (this.shuttingDown) {
      return;
    }
    const emptyIndex = [...this.paneViews].find(([, v]) => v.terminal === terminal)?.[0];
    if (emptyIndex !== undefined) {
      // Closing an empty pane closes its group: lay the grid out again (choose a smaller layout to have fewer panes).
      this.paneViews.delete(emptyIndex);
      void this.enqueue(() => this.rebuild());
      return;
    }
    const index = [...this.paneTerminals].find(([, t]) => t === terminal)?.[0];
    if (index === undefined) {
      return;
    }
    this.paneTerminals.delete(index);
    this.clientPids.delete(terminal);
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
    // A pane whose session ended becomes empty when its terminal closes; the empty panes list what is there now.
    const listed = this.listed();
    for (const view of this.paneViews.values()) {
      view.show(listed);
    }
    if (this.panes.some((id) => id !== null && !alive.has(id))) {
      this.panes = this.panes.map((id) => (id !== null && alive.has(id) ? id : null));
      this.saved();
    }
    this.changeEmitter.fire();
  }

  private saved(): void {
    if (this.shape && !this.shuttingDown) {
      const clientPids = [...this.paneTerminals.values()].map((t) => this.clientPids.get(t)).filter((pid): pid is number => pid !== undefined);
      const saved: SavedGrid = { ...this.shape, socket: this.host.socketPath ?? '', panes: this.panes, clientPids };
      this.store.write(saved);
    }
  }

  private setActiveContext(): void {
    void vscode.commands.executeCommand('setContext', 'plexus.gridOpen', this.isOpen);
    void vscode.commands.executeCommand('setContext', 'plexus.gridPaneAttached', this.activePane() !== undefined && this.sessionOf(this.activePane() ?? 0) !== undefined);
  }

  /** The sessions an empty pane lists, in the user's order. */
  private listed(): Session[] {
    return sortSessions(this.host.sessions, sortBy());
  }

  private emptyPane(index: number): EmptyPane {
    const pane = index + 1;
    return new EmptyPane(pane, this.listed(), (target) => {
      if (target.kind === 'session') {
        void this.put(pane, target.id);
      } else {
        void vscode.commands.executeCommand('plexus.createSession', { pane });
      }
    });
  }
}

/**
 * An empty pane: a pseudoterminal in the pane's group that lists the sessions. A click, Enter on the highlighted
 * row, or a row's number shows that session here; `c` or the Create row creates one into this pane.
 */
class EmptyPane implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private size: { columns: number; rows: number } | undefined;
  private selected = 0;
  private targets = new Map<number, PaneTarget>();
  private drawn = '';
  readonly onDidWrite = this.writer.event;
  readonly terminal: vscode.Terminal;

  constructor(
    private readonly pane: number,
    private sessions: Session[],
    private readonly choose: (target: PaneTarget) => void,
  ) {
    this.terminal = vscode.window.createTerminal({
      name: `#${pane} empty`,
      pty: this,
      location: { viewColumn: pane, preserveFocus: true },
      iconPath: new vscode.ThemeIcon('layout'),
      isTransient: true,
    });
  }

  open(size: vscode.TerminalDimensions | undefined): void {
    this.size = size ? { columns: size.columns, rows: size.rows } : { columns: 80, rows: 24 };
    this.writer.fire(paneSetup);
    this.draw();
  }

  close(): void {
    this.writer.dispose();
  }

  setDimensions(size: vscode.TerminalDimensions): void {
    this.size = { columns: size.columns, rows: size.rows };
    this.drawn = ''; // the terminal reflowed what it had: draw it all again
    this.draw();
  }

  /** Draws again if anything shown changed, such as how long ago each status began. */
  refresh(): void {
    this.draw();
  }

  show(sessions: Session[]): void {
    const current = this.sessions[this.selected]?.id;
    this.sessions = sessions;
    const kept = sessions.findIndex((s) => s.id === current);
    this.selected = kept >= 0 ? kept : Math.min(this.selected, sessions.length);
    this.draw();
  }

  handleInput(data: string): void {
    for (const action of readPaneInput(data)) {
      this.act(action);
    }
  }

  private act(action: PaneInput): void {
    const last = this.sessions.length; // the Create row
    switch (action.kind) {
      case 'up':
      case 'down':
      case 'scroll': {
        const by = action.kind === 'up' ? -1 : action.kind === 'down' ? 1 : action.by;
        this.selected = Math.min(Math.max(this.selected + by, 0), last);
        this.draw();
        return;
      }
      case 'choose':
        this.choose(this.selected < last ? { kind: 'session', id: this.sessions[this.selected].id } : { kind: 'create' });
        return;
      case 'number':
        if (action.value <= last) {
          this.choose({ kind: 'session', id: this.sessions[action.value - 1].id });
        }
        return;
      case 'create':
        this.choose({ kind: 'create' });
        return;
      case 'click': {
        const target = this.targets.get(action.row);
        if (target) {
          this.choose(target);
        }
        return;
      }
    }
  }

  private draw(): void {
    if (!this.size) {
      return; // not open yet: open() draws
    }
    const drawing = drawEmptyPane(this.pane, this.sessions, this.selected, this.size, nowSeconds());
    this.targets = drawing.targets;
    if (drawing.text !== this.drawn) {
      this.drawn = drawing.text;
      this.writer.fire(drawing.text);
    }
  }
}

/** Grid Layout…, Focus Pane, and the pane actions Switch Session…, Detach and Kill. */
export function registerGridCommands(grid: Grid): vscode.Disposable[] {
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
