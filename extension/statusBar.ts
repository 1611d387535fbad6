// Status bar: `#1 ● coder-1  #2 ○ reviewer  +3  5 sessions  🔔 1 waiting`.
// Up to four entries for open Plexus terminals (click focuses one; numbers stay while a terminal is open), "+N" for
// the rest (a quick pick), the session count (click reveals the view), and an attention entry while any session
// waits, is stuck or failed (click reveals the first one). Colours are the theme's status bar colours only.
import * as vscode from 'vscode';
import type { Grid } from './grid';
import type { Host } from './host';
import {
  attentionBackground,
  attentionEntryText,
  describeSession,
  displayName,
  firstNeedingUser,
  nowSeconds,
  sessionCountText,
  sortSessions,
  StableNumbers,
  terminalEntries,
  terminalEntryText,
} from './presentation';
import { sortBy } from './settings';
import type { TerminalEntry, Terminals } from './terminals';

// Left of most items, in this order.
const basePriority = 100;

export class StatusBar implements vscode.Disposable {
  private readonly terminalItems: vscode.StatusBarItem[] = [];
  private readonly moreItem: vscode.StatusBarItem;
  private readonly countItem: vscode.StatusBarItem;
  private readonly attentionItem: vscode.StatusBarItem;
  private readonly numbers = new StableNumbers<vscode.Terminal>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
    private readonly grid: Grid,
  ) {
    this.moreItem = vscode.window.createStatusBarItem('plexus.moreTerminals', vscode.StatusBarAlignment.Left, basePriority - 10);
    this.moreItem.name = 'Plexus: More Terminals';
    this.moreItem.command = 'plexus.pickTerminal';
    this.countItem = vscode.window.createStatusBarItem('plexus.count', vscode.StatusBarAlignment.Left, basePriority - 50);
    this.countItem.name = 'Plexus Sessions';
    this.countItem.command = 'plexus.sessions.focus';
    this.attentionItem = vscode.window.createStatusBarItem('plexus.attention', vscode.StatusBarAlignment.Left, basePriority - 51);
    this.attentionItem.name = 'Plexus Attention';
    this.disposables.push(
      this.moreItem,
      this.countItem,
      this.attentionItem,
      host.onDidChangeSessions(() => this.update()),
      host.onDidChangeState(() => this.update()),
      terminals.onDidChange(() => this.update()),
      grid.onDidChange(() => this.update()),
    );
    this.update();
  }

  /** Every open Plexus terminal with its number, in number order (the "+N" quick pick lists them). */
  numbered(): { number: number; entry: TerminalEntry }[] {
    const entries = this.terminals.entries;
    const numbers = this.numbers.update(entries.map((e) => e.terminal));
    return entries.map((entry) => ({ number: numbers.get(entry.terminal) ?? 0, entry })).sort((a, b) => a.number - b.number);
  }

  update(): void {
    const sessions = this.host.sessions;
    if (this.grid.isOpen) {
      this.showPanes();
    } else {
      this.showTerminals();
    }


    const state = this.host.state;
    if (state === 'ready' || sessions.length > 0) {
      this.countItem.text = `$(layers) ${sessionCountText(sessions.length)}`;
      this.countItem.tooltip = 'Show the Plexus Sessions view';
      this.countItem.backgroundColor = undefined;
    } else if (state === 'failed' || state === 'tmuxMissing') {
      this.countItem.text = '$(error) Plexus';
      this.countItem.tooltip = this.host.failureReason ?? 'The Plexus host is not running.';
      this.countItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      this.countItem.text = '$(loading~spin) Plexus';
      this.countItem.tooltip = 'Starting the Plexus host…';
      this.countItem.backgroundColor = undefined;
    }
    this.countItem.show();

    const attention = attentionEntryText(sessions);
    const first = firstNeedingUser(sortSessions(sessions, sortBy()));
    if (attention && first) {
      this.attentionItem.text = attention;
      this.attentionItem.backgroundColor = new vscode.ThemeColor(attentionBackground(sessions));
      this.attentionItem.tooltip = `'${displayName(first.name)}' needs you — click to show it.`;
      this.attentionItem.command = { title: 'Reveal Session', command: 'plexus.revealSession', arguments: [first.name] };
      this.attentionItem.show();
    } else {
      this.attentionItem.hide();
    }
  }

  /** One entry per open Plexus terminal (up to four, "+N" for the rest). */
  private showTerminals(): void {
    const sessions = this.host.sessions;
    const { shown, more } = terminalEntries(this.numbered());
    this.keepItems(shown.length);
    shown.forEach(({ number, entry }, index) => {
      const item = this.item(index);
      const session = sessions.find((s) => s.id === entry.id) ?? sessions.find((s) => s.name === entry.name);
      item.text = terminalEntryText(number, entry.name, session?.status, entry.readOnly);
      item.tooltip =
        `${displayName(entry.name)}${entry.readOnly ? ' (read-only)' : ''}${session ? ` — ${describeSession(session, nowSeconds())}` : ''}\n` +
        'Click to focus its terminal.';
      item.accessibilityInformation = { label: `#${number} ${displayName(entry.name)}${entry.readOnly ? ', read-only' : ''}, ${session?.status ?? 'unknown'}` };
      item.command = { title: 'Focus Terminal', command: 'plexus.focusTerminal', arguments: [entry.name] };
      item.show();
    });
    if (more.length > 0) {
      this.moreItem.text = `+${more.length}`;
      this.moreItem.tooltip = `${more.length} more Plexus terminals: ${more.map(({ entry }) => displayName(entry.name)).join(', ')}`;
      this.moreItem.show();
    } else {
      this.moreItem.hide();
    }
  }

  /** With a grid open: one entry per pane, `#N ● name` or `#N empty`; a click focuses the pane. */
  private showPanes(): void {
    const slots = this.grid.slots();
    this.keepItems(slots.length);
    slots.forEach(({ number, session }, index) => {
      const item = this.item(index);
      item.text = session ? terminalEntryText(number, session.name, session.status) : `#${number} empty`;
      item.tooltip = session
        ? `Pane #${number}: ${displayName(session.name)} — ${describeSession(session, nowSeconds())}\nClick to focus the pane.`
        : `Pane #${number} is empty. Click to choose its session.`;
      item.accessibilityInformation = { label: session ? `#${number} ${displayName(session.name)}, ${session.status}` : `#${number} empty` };
      item.command = { title: 'Focus Pane', command: 'plexus.focusPane', arguments: [number] };
      item.show();
    });
    this.moreItem.hide();
  }

  private keepItems(count: number): void {
    while (this.terminalItems.length > count) {
      this.terminalItems.pop()?.dispose();
    }
  }

  private item(index: number): vscode.StatusBarItem {
    let item = this.terminalItems[index];
    if (!item) {
      item = vscode.window.createStatusBarItem(`plexus.terminal.${index + 1}`, vscode.StatusBarAlignment.Left, basePriority - index);
      item.name = `Plexus Terminal ${index + 1}`;
      this.terminalItems.push(item);
    }
    return item;
  }

  dispose(): void {
    this.terminalItems.forEach((item) => void item.dispose());
    this.disposables.forEach((d) => void d.dispose());
  }
}
