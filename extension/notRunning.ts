// The sessions Plexus remembers that do not run: the "Not Running" view, Restore / Restore All / Forget, and the one
// notification when the tmux server is gone (at start-up, or while the editor runs). The host keeps the records; this only shows and asks.
import * as vscode from 'vscode';
import { errorMessage } from './client';
import type { Host } from './host';
import { displayName, nowSeconds } from './presentation';
import type { SessionRecord } from './protocol';
import { restoreOnStartup } from './settings';

/** "2 h ago", "3 d ago": when a not-running session stopped or was created. */
export function ago(seconds: number, now: number): string {
  const elapsed = Math.max(0, now - seconds);
  if (elapsed < 60) {
    return 'just now';
  }
  if (elapsed < 3600) {
    return `${Math.floor(elapsed / 60)} min ago`;
  }
  if (elapsed < 86400) {
    return `${Math.floor(elapsed / 3600)} h ago`;
  }
  return `${Math.floor(elapsed / 86400)} d ago`;
}

/** What the row says after the name: what it ran, and when it stopped (or started, when no host saw it stop). */
export function describeRecord(record: SessionRecord, now: number): string {
  const ran = record.command ?? 'shell';
  const when = record.stoppedAt !== undefined ? `stopped ${ago(record.stoppedAt, now)}` : `started ${ago(record.createdAt, now)}`;
  return `${ran} · ${when}`;
}

/** The start-up notification's text. */
export function notRunningMessage(count: number): string {
  return count === 1 ? '1 Plexus session is not running' : `${count} Plexus sessions are not running`;
}

export class NotRunningView implements vscode.TreeDataProvider<SessionRecord>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private startupChecked = false;
  /** The names of the last session list: when all of them stop at once, the server may have gone. */
  private lastLive: ReadonlySet<string> = new Set();

  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<SessionRecord>;

  constructor(private readonly host: Host) {
    this.treeView = vscode.window.createTreeView('plexus.notRunning', { treeDataProvider: this, canSelectMany: true });
    const setContext = () => void vscode.commands.executeCommand('setContext', 'plexus.notRunningCount', host.notRunning.length);
    this.disposables.push(
      this.changeEmitter,
      this.treeView,
      host.onDidChangeNotRunning(() => {
        setContext();
        this.changeEmitter.fire();
      }),
      host.onDidChangeSessions((sessions) => {
        const went = this.lastLive;
        this.lastLive = new Set(sessions.map((s) => s.name));
        if (sessions.length === 0 && went.size > 0) {
          void this.checkServerGone(went);
        }
      }),
      host.onDidChangeState((state) => {
        if (state === 'ready') {
          void this.checkAtStartup();
        }
      }),
      vscode.commands.registerCommand('plexus.restoreSession', (record?: SessionRecord, selection?: readonly SessionRecord[]) =>
        this.chosen(record, selection).then((records) => this.restore(records)),
      ),
      vscode.commands.registerCommand('plexus.restoreAllSessions', () => this.restore(this.host.notRunning)),
      vscode.commands.registerCommand('plexus.forgetSession', (record?: SessionRecord, selection?: readonly SessionRecord[]) =>
        this.chosen(record, selection).then((records) => this.forget(records)),
      ),
      vscode.commands.registerCommand('plexus.showNotRunning', () => vscode.commands.executeCommand('plexus.notRunning.focus')),
    );
    setContext();
  }

  getChildren(element?: SessionRecord): SessionRecord[] {
    return element ? [] : [...this.host.notRunning];
  }

  getTreeItem(record: SessionRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(displayName(record.name), vscode.TreeItemCollapsibleState.None);
    item.id = `record/${record.name}`;
    item.description = describeRecord(record, nowSeconds());
    const resumes = record.agent && record.agentSessionId ? `\n\nRestore resumes its ${record.agent} conversation \`${record.agentSessionId}\`.` : '';
    item.tooltip = new vscode.MarkdownString(`**${displayName(record.name)}** — not running\n\n\`${record.command ?? 'shell'}\` in \`${record.cwd}\`${resumes}`);
    item.iconPath = new vscode.ThemeIcon('debug-disconnect');
    item.contextValue = record.hasScrollback ? 'record.scrollback' : 'record';
    item.accessibilityInformation = { label: `${displayName(record.name)}, not running, ${item.description}` };
    return item;
  }

  dispose(): void {
    this.disposables.forEach((d) => void d.dispose());
  }

  /** The rows the command was run on, the view's selection, or what the user picks (Command Palette). */
  private async chosen(record: SessionRecord | undefined, selection: readonly SessionRecord[] | undefined): Promise<readonly SessionRecord[]> {
    if (record && selection && selection.some((s) => s.name === record.name)) {
      return selection;
    }
    if (record) {
      return [record];
    }
    if (this.treeView.selection.length > 0) {
      return this.treeView.selection;
    }
    const picked = await vscode.window.showQuickPick(
      this.host.notRunning.map((r) => ({ label: displayName(r.name), description: describeRecord(r, nowSeconds()), record: r })),
      { canPickMany: true, placeHolder: 'Sessions not running' },
    );
    return picked?.map((p) => p.record) ?? [];
  }

  /** Once per window: records exist but do not run (the server went with a reboot). */
  private async checkAtStartup(): Promise<void> {
    if (this.startupChecked) {
      return;
    }
    this.startupChecked = true;
    const records = this.host.notRunning;
    if (records.length === 0) {
      return;
    }
    if (restoreOnStartup()) {
      await this.restore(records);
      return;
    }
    await this.offerRestore(records);
  }

  /**
   * While the editor runs, every session stopped at once: when the host still remembers them, the tmux server went
   * (or all were killed outside Plexus). The host is asked rather than the last `notRunningChanged` trusted, as that
   * may still be on its way; a session killed in Plexus is forgotten before it goes, so a kill offers nothing.
   */
  private async checkServerGone(went: ReadonlySet<string>): Promise<void> {
    let records: SessionRecord[];
    try {
      records = await (await this.host.ready()).notRunning();
    } catch {
      return; // the host went too: its restart offers them at start-up
    }
    if (this.host.sessions.length === 0 && records.some((r) => went.has(r.name))) {
      await this.offerRestore(records);
    }
  }

  private async offerRestore(records: readonly SessionRecord[]): Promise<void> {
    const choice = await vscode.window.showInformationMessage(`${notRunningMessage(records.length)}.`, 'Restore', 'Show');
    if (choice === 'Restore') {
      await this.restore(this.host.notRunning);
    } else if (choice === 'Show') {
      await vscode.commands.executeCommand('plexus.notRunning.focus');
    }
  }

  private async restore(records: readonly SessionRecord[]): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const client = await this.host.ready();
    const failures: string[] = [];
    for (const record of records) {
      try {
        await client.restoreSession(record.name);
      } catch (error) {
        failures.push(`${displayName(record.name)}: ${errorMessage(error)}`);
      }
    }
    if (failures.length > 0) {
      void vscode.window.showErrorMessage(`Could not restore ${failures.join('; ')}`);
    }
  }

  private async forget(records: readonly SessionRecord[]): Promise<void> {
    const client = await this.host.ready();
    for (const record of records) {
      try {
        await client.forgetSession(record.name);
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not forget ${displayName(record.name)}: ${errorMessage(error)}`);
      }
    }
  }
}
