// "Plexus: Set Up Agent Hooks…": Plexus's hooks in the user's own agent settings, for agents started by hand.
// The host reads and writes the file; this shows the change as a diff and writes only after the user confirms.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { errorMessage, isError } from './client';
import { codexExplanation, confirmation, hookAgents, hookChanges, nothingToDo, outcome } from './hookSetup';
import type { Host } from './host';
import { ErrorCodes } from './protocol';

const scheme = 'plexus-hooks';

/** Read-only documents of the diff: the file as it is and as it would be. */
class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A new document each time, so a second preview never shows the first one's text. */
  add(side: string, fileName: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme, path: `/${side}/${fileName}`, query: String(++this.next) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }
}

export function registerAgentHooks(host: Host): vscode.Disposable[] {
  const documents = new PreviewDocuments();

  const setUp = async () => {
    const home = homedir();
    const agent = await vscode.window.showQuickPick(
      hookAgents.map((a) => ({ ...a, description: a.file })),
      {
        title: 'Set Up Agent Hooks (1/2)',
        placeHolder: 'For agents you start yourself in tmux (those Plexus starts get its hooks anyway)',
        matchOnDetail: true,
      },
    );
    if (!agent) {
      return;
    }
    if (agent.agent === 'codex') {
      void vscode.window.showInformationMessage(codexExplanation);
      return;
    }
    const kind = agent.agent;
    const picked = await vscode.window.showQuickPick(hookChanges, { title: `Set Up Agent Hooks (2/2): ${agent.label}` });
    if (!picked) {
      return;
    }

    const client = await host.ready();
    const preview = await client.previewHooks(kind, picked.change);
    if (!preview.changed) {
      void vscode.window.showInformationMessage(nothingToDo(preview, picked.change, home));
      return;
    }

    const fileName = preview.file.split('/').pop() ?? 'settings.json';
    const before = documents.add('current', fileName, preview.current ?? '');
    const after = documents.add('proposed', fileName, preview.proposed ?? '');
    const side = picked.change === 'install' ? 'with Plexus’s hooks' : 'without Plexus’s hooks';
    await vscode.commands.executeCommand('vscode.diff', before, after, `${fileName}: current ↔ ${side}`, { preview: true });

    const ask = confirmation(preview, picked.change, home);
    const answer = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, ask.action);
    if (answer !== ask.action) {
      return;
    }
    try {
      const result = await client.applyHooks(kind, picked.change, preview.current);
      void vscode.window.showInformationMessage(outcome(result, picked.change, agent.label, home));
    } catch (error) {
      if (isError(error, ErrorCodes.SettingsChanged)) {
        void vscode.window.showErrorMessage(`${errorMessage(error)} Run "Plexus: Set Up Agent Hooks…" again to see the new diff.`);
        return;
      }
      throw error;
    }
  };

  return [
    vscode.workspace.registerTextDocumentContentProvider(scheme, documents),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === scheme) {
        documents.forget(document.uri);
      }
    }),
    vscode.commands.registerCommand('plexus.setUpAgentHooks', async () => {
      try {
        await setUp();
      } catch (error) {
        // The host's message says why (comments, invalid JSON, an unwritable file) and that nothing was written.
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    }),
  ];
}
