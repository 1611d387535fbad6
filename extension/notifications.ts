// Tells the user when a session turns waiting, stuck or error — once per transition (also across host restarts
// within this window), with a per-session cool-down, and never about a waiting or stuck session whose terminal they
// look at.
import * as vscode from 'vscode';
import { answer } from './answers';
import { errorMessage } from './client';
import type { Host } from './host';
import { answerButtons, CoolDown, notificationFor, SeenLedger, type SeenStatuses } from './presentation';
import type { PromptResult, StatusChangedParams } from './protocol';
import { notificationsEnabled } from './settings';
import type { Terminals } from './terminals';

const coolDownMs = 30_000;
const seenKey = 'plexus.seenStatuses';

export class Notifications implements vscode.Disposable {
  private readonly coolDown = new CoolDown(coolDownMs);
  private readonly ledger: SeenLedger;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
    private readonly state: vscode.Memento,
  ) {
    this.ledger = new SeenLedger(state.get<SeenStatuses>(seenKey, {}));
    this.subscriptions = [
      host.onDidChangeStatus((change) => void this.onStatusChanged(change)),
      host.onDidChangeSessions((sessions) => {
        // Only a ready host's list is the truth about which sessions exist.
        if (host.state === 'ready' && host.socketPath !== undefined) {
          this.ledger.retain(sessions.map((s) => this.keyOf(s.id)));
          void this.state.update(seenKey, this.ledger.state);
        }
      }),
    ];
  }

  dispose(): void {
    this.subscriptions.forEach((d) => void d.dispose());
  }

  /** Session ids are unique within one tmux server only. */
  private keyOf(id: string): string {
    return `${this.host.socketPath ?? ''}|${id}`;
  }

  /** The prompt's choices, or nothing when the screen shows no menu the host can answer. */
  private async promptOf(name: string): Promise<PromptResult | undefined> {
    try {
      return await (await this.host.ready()).prompt(name);
    } catch {
      return undefined;
    }
  }

  private async onStatusChanged(change: StatusChangedParams): Promise<void> {
    const news = this.ledger.isNews(this.keyOf(change.id), change);
    void this.state.update(seenKey, this.ledger.state);
    const text = notificationFor(change);
    if (!news || !text || !notificationsEnabled()) {
      return;
    }
    // The user is looking at a waiting or stuck session; a failure still gets its Respawn button.
    const terminal = this.terminals.find(change.name);
    if (change.status !== 'error' && terminal && vscode.window.activeTerminal === terminal && vscode.window.state.focused) {
      return;
    }
    if (!this.coolDown.tryTake(this.keyOf(change.id), Date.now())) {
      return;
    }
    const show = 'Show';
    const send = 'Send…';
    const respawn = 'Respawn';
    const answers = change.status === 'waiting' ? answerButtons(change.reason, await this.promptOf(change.name)) : [];
    // An error without an exit code is an agent's failed turn: its program still runs, so there is nothing to respawn.
    const exited = change.status === 'error' && change.exitCode !== undefined && change.exitCode !== null;
    const buttons = exited ? [respawn, show] : answers.length > 0 ? [...answers, show] : [show, send];
    const choice =
      text.severity === 'error'
        ? await vscode.window.showErrorMessage(text.message, ...buttons)
        : await vscode.window.showWarningMessage(text.message, ...buttons);
    // The session may have been renamed while the notification was up: act on its current name.
    const name = this.host.sessions.find((s) => s.id === change.id)?.name ?? change.name;
    try {
      if (choice !== undefined && answers.includes(choice)) {
        await answer(this.host, this.terminals, name, choice);
      } else if (choice === show) {
        await this.terminals.attach(name);
      } else if (choice === send) {
        await vscode.commands.executeCommand('plexus.sendText', name);
      } else if (choice === respawn) {
        await vscode.commands.executeCommand('plexus.respawnSession', name);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }
}
