// Status bar: `#1 ● coder-1  #2 ● reviewer  3 sessions  🔔 1 waiting`.
// One entry per open Plexus terminal (click focuses it), the session count (click reveals the view),
// and a warning entry while any session waits or is stuck (click reveals the first one).
import * as vscode from 'vscode';
import type { Host } from './host';
import { attentionEntryText, describeSession, displayName, firstNeedingUser, nowSeconds, sessionCountText, sortSessions, statusColor, terminalEntryText } from './presentation';
import { sortBy } from './settings';
import type { Terminals } from './terminals';

// Left of most items, in this order.
const basePriority = 100;

export class StatusBar implements vscode.Disposable {
  private readonly terminalItems: vscode.StatusBarItem[] = [];
  private readonly countItem: vscode.StatusBarItem;
  private readonly attentionItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
  ) {
    this.countItem = vscode.window.createStatusBarItem('plexus.count', vscode.StatusBarAlignment.Left, basePriority - 50);
    this.countItem.name = 'Plexus Sessions';
    this.countItem.command = 'plexus.sessions.focus';
    this.attentionItem = vscode.window.createStatusBarItem('plexus.attention', vscode.StatusBarAlignment.Left, basePriority - 51);
    this.attentionItem.name = 'Plexus Attention';
    this.attentionItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.disposables.push(
      this.countItem,
      this.attentionItem,
      host.onDidChangeSessions(() => this.update()),
      host.onDidChangeState(() => this.update()),
      terminals.onDidChange(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const sessions = this.host.sessions;
    const entries = this.terminals.entries;
    while (this.terminalItems.length > entries.length) {
      this.terminalItems.pop()?.dispose();
    }
    entries.forEach((entry, index) => {
      let item = this.terminalItems[index];
      if (!item) {
        item = vscode.window.createStatusBarItem(`plexus.terminal.${index + 1}`, vscode.StatusBarAlignment.Left, basePriority - index);
        item.name = `Plexus Terminal #${index + 1}`;
        this.terminalItems.push(item);
      }
      const session = sessions.find((s) => s.name === entry.name);
      item.text = terminalEntryText(index + 1, entry.name, session?.status);
      item.color = session ? new vscode.ThemeColor(statusColor(session.status)) : undefined;
      item.tooltip = `${displayName(entry.name)}${session ? ` — ${describeSession(session, nowSeconds())}` : ''}\nClick to focus its terminal.`;
      item.command = { title: 'Focus Terminal', command: 'plexus.focusTerminal', arguments: [entry.name] };
      item.show();
    });

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
      this.attentionItem.tooltip = `'${displayName(first.name)}' needs you — click to show it.`;
      this.attentionItem.command = { title: 'Reveal Session', command: 'plexus.revealSession', arguments: [first.name] };
      this.attentionItem.show();
    } else {
      this.attentionItem.hide();
    }
  }

  dispose(): void {
    this.terminalItems.forEach((item) => void item.dispose());
    this.disposables.forEach((d) => void d.dispose());
  }
}
