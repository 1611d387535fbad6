// Answering a waiting session's prompt without attaching: the host reads the agent's menu and sends the key it
// expects; this file only offers the choices and says what happened.
import * as vscode from 'vscode';
import type { Host } from './host';
import { allow, answerFor, deny, displayName } from './presentation';
import type { WaitingReason } from './protocol';
import type { Terminals } from './terminals';

/** Sends the answer and, when the prompt stayed on screen, offers to attach. */
export async function answer(host: Host, terminals: Terminals, name: string, label: string): Promise<void> {
  const result = await (await host.ready()).answer(name, answerFor(label));
  if (result.answered) {
    vscode.window.setStatusBarMessage(`$(check) '${displayName(name)}': ${result.detail}`, 5000);
    return;
  }
  const attach = 'Attach';
  if ((await vscode.window.showWarningMessage(`'${displayName(name)}': ${result.detail}`, attach)) === attach) {
    await terminals.attach(name);
  }
}

/** Answer…: the prompt's choices in a quick pick (Allow and Deny first for a permission prompt). */
export async function pickAnswer(host: Host, terminals: Terminals, name: string, reason: WaitingReason | undefined): Promise<void> {
  const prompt = await (await host.ready()).prompt(name);
  const shortcuts = reason === 'permission' ? [allow, deny] : [];
  const items: vscode.QuickPickItem[] = [
    ...shortcuts.map((label) => ({ label })),
    ...prompt.choices.map((choice) => ({ label: `${choice.number}. ${choice.label}` })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Answer '${displayName(name)}'`,
    placeHolder: prompt.question ?? 'Choose an answer',
  });
  if (picked) {
    await answer(host, terminals, name, picked.label);
  }
}
