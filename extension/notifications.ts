// Tells the user when a session turns waiting, stuck or error — once per transition, with a per-session
// cool-down, and never about the session whose terminal they are looking at.
import * as vscode from 'vscode';
import { answer } from './answers';
import { errorMessage } from './client';
import type { Host } from './host';
import { answerButtons, CoolDown, notificationFor } from './presentation';
import type { PromptResult, StatusChangedParams } from './protocol';
import { notificationsEnabled } from './settings';
import type { Terminals } from './terminals';

const coolDownMs = 30_000;

export class Notifications implements vscode.Disposable {
  private readonly coolDown = new CoolDown(coolDownMs);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly host: Host,
    private readonly terminals: Terminals,
  ) {
    this.subscription = host.onDidChangeStatus((change) => void this.onStatusChanged(change));
  }

  dispose(): void {
    this.subscription.dispose();
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
    const text = notificationFor(change);
    if (!text || !notificationsEnabled()) {
      return;
    }
    const terminal = this.terminals.find(change.name);
    if (terminal && vscode.window.activeTerminal === terminal && vscode.window.state.focused) {
      return; // the user is looking at it
    }
    if (!this.coolDown.tryTake(change.name, Date.now())) {
      return;
    }
    const show = 'Show';
    const send = 'Send…';
    const answers = change.status === 'waiting' ? answerButtons(change.reason, await this.promptOf(change.name)) : [];
    const buttons = change.status === 'error' ? [show] : answers.length > 0 ? [...answers, show] : [show, send];
    const choice =
      text.severity === 'error'
        ? await vscode.window.showErrorMessage(text.message, ...buttons)
        : await vscode.window.showWarningMessage(text.message, ...buttons);
    try {
      if (choice !== undefined && answers.includes(choice)) {
        await answer(this.host, this.terminals, change.name, choice);
      } else if (choice === show) {
        await this.terminals.attach(change.name);
      } else if (choice === send) {
        await vscode.commands.executeCommand('plexus.sendText', change.name);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }
}
