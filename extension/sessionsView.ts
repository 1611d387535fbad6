// The "Sessions" tree: one item per session, sessions that need the user first.
import * as vscode from 'vscode';
import type { Host } from './host';
import { contextValue, describeSession, displayName, nowSeconds, sortSessions, tooltipMarkdown, treeIcon } from './presentation';
import type { Session } from './protocol';
import { sortBy } from './settings';
import type { Terminals } from './terminals';

export class SessionsView implements vscode.TreeDataProvider<Session>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<Session | undefined | void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** What each row shows now, by session id: a row is drawn again only when this changes. */
  private readonly shownRows = new Map<string, string>();
  private ticker: NodeJS.Timeout | undefined;
  private visibleSessions: Session[] = [];

  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<Session>;

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
  ) {
    // Several rows at once for Kill, Attach and Detach.
    this.treeView = vscode.window.createTreeView('plexus.sessions', { treeDataProvider: this, showCollapseAll: false, canSelectMany: true });
    this.disposables.push(
      this.changeEmitter,
      this.treeView,
      host.onDidChangeSessions(() => this.update()),
      terminals.onDidChange(() => this.update()),
      host.onDidChangeState(() => this.updateMessage()),
      this.treeView.onDidChangeVisibility(() => this.updateTicker()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('plexus.sessions.sortBy')) {
          this.refresh();
        }
      }),
    );
    this.updateMessage();
    this.updateTicker();
  }

  refresh(): void {
    this.changeEmitter.fire();
  }

  getChildren(element?: Session): Session[] {
    if (element) {
      return [];
    }
    this.visibleSessions = sortSessions(this.host.sessions, sortBy());
    return this.visibleSessions;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(element: Session): vscode.TreeItem {
    // The element is the row's handle from the last getChildren; the session's data is the host's latest.
    const session = this.current(element);
    const now = nowSeconds();
    const item = new vscode.TreeItem(displayName(session.name), vscode.TreeItemCollapsibleState.None);
    // By tmux session id: a renamed session keeps its row (selection, focus).
    item.id = `session/${session.id}`;
    item.description = describeSession(session, now);
    this.shownRows.set(session.id, this.rowText(session, now));
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(session, now));
    tooltip.supportThemeIcons = false;
    item.tooltip = tooltip;
    const icon = treeIcon(session.status);
    item.iconPath = new vscode.ThemeIcon(icon.id, new vscode.ThemeColor(icon.color));
    const hasTerminal = this.terminals.has(session);
    item.contextValue = contextValue(session, hasTerminal);
    // Click and Enter: the session's terminal, attaching it when this window has none. No arguments: VS Code
    // wraps a tree command's arguments in a per-render id, and rows re-render every second (their ages), so a click
    // in between met "command not found". The row clicked is the selection by the time the command runs.
    item.command = { title: hasTerminal ? 'Focus Terminal' : 'Attach', command: 'plexus.openSelectedSession' };
    item.accessibilityInformation = { label: `${displayName(session.name)}, ${item.description}` };
    return item;
  }

  /** The one selected session (a click or Enter on a row), or nothing while several are selected. */
  get selectedSession(): Session | undefined {
    const selection = this.treeView.selection;
    return selection.length === 1 ? (this.host.sessions.find((s) => s.id === selection[0].id) ?? selection[0]) : undefined;
  }

  /** Shows and selects a session (the status bar's warning entry, notifications). */
  async reveal(name: string): Promise<void> {
    await vscode.commands.executeCommand('plexus.sessions.focus');
    const session = this.visibleSessions.find((s) => s.name === name) ?? this.host.sessions.find((s) => s.name === name);
    if (session) {
      await this.treeView.reveal(session, { select: true, focus: true });
    }
  }

  dispose(): void {
    if (this.ticker) {
      clearInterval(this.ticker);
    }
    this.disposables.forEach((d) => void d.dispose());
  }

  private updateMessage(): void {
    // Never set while the tree is empty: a message hides the welcome view, which explains failures.
    const state = this.host.state;
    this.treeView.message = state === 'starting' && this.host.sessions.length > 0 ? 'Reconnecting to the Plexus host…' : undefined;
  }

  // Ages in descriptions must stay true, but only a visible view needs them: tick each second while visible,
  // and redraw only the items whose text changed.
  private updateTicker(): void {
    if (this.treeView.visible && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), 1000);
    } else if (!this.treeView.visible && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /**
   * Draws the list again only when something it shows changed: a refresh redraws every row and closes a context
   * menu open on one, and busy agents send a change every second that often shows nothing new (a title, activity).
   */
  private update(): void {
    const now = nowSeconds();
    const order = sortSessions(this.host.sessions, sortBy()).map((s) => s.id);
    const moved = order.length !== this.visibleSessions.length || order.some((id, i) => id !== this.visibleSessions[i].id);
    if (moved || this.visibleSessions.some((element) => this.shownRows.get(element.id) !== this.rowText(this.current(element), now))) {
      this.refresh();
    }
  }

  // Ages only: redraw just the rows whose age text changed.
  private tick(): void {
    const now = nowSeconds();
    for (const element of this.visibleSessions) {
      if (this.shownRows.get(element.id) !== this.rowText(this.current(element), now)) {
        this.changeEmitter.fire(element);
      }
    }
  }

  private current(element: Session): Session {
    return this.host.sessions.find((s) => s.id === element.id) ?? element;
  }

  /** Everything a row shows, as one string to compare. */
  private rowText(session: Session, now: number): string {
    return [session.name, describeSession(session, now), session.status, contextValue(session, this.terminals.has(session)), tooltipMarkdown(session, now)].join('\u0000');
  }
}
