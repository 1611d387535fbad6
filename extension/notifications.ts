// Tells the user when a session turns waiting, stuck or error — once per transition, with a per-session
// cool-down, and never about the session whose terminal they are looking at.
import * as vscode from 'vscode';
import { errorMessage } from './client';
import type { Host } from './host';
import { CoolDown, notificationFor } from './presentation';
import type { StatusChangedParams } from './protocol';
import { notificationsEnabled } from './settings';
import type { Terminals } from './terminals';

const coolDownMs = 30_000;

export class Notifications implements vscode.Disposable {
  private readonly coolDown = new CoolDown(coolDownMs);
  private readonly subscription: vscode.Disposable;

  constructor(
    host: Host,
    private readonly terminals: Terminals,
  ) {
    this.subscription = host.onDidChangeStatus((change) => void this.onStatusChanged(change));
  }

  dispose(): void {
    this.subscription.dispose();
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
    const buttons = change.status === 'error' ? [show] : [show, send];
    const choice =
      text.severity === 'error'
        ? await vscode.window.showErrorMessage(text.message, ...buttons)
        : await vscode.window.showWarningMessage(text.message, ...buttons);
    try {
      if (choice === show) {
        await this.terminals.attach(change.name);
      } else if (choice === send) {
        await vscode.commands.executeCommand('plexus.sendText', change.name);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  }
}
