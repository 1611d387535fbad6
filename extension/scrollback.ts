// A session's scrollback as a read-only document (`plexus-scrollback:` scheme, titled `scrollback: NAME`): VS Code
// never asks to save it, and Refresh reads it again from the host.
import * as vscode from 'vscode';
import type { Host } from './host';
import { displayName, scrollbackHeader } from './presentation';

export const scrollbackScheme = 'plexus-scrollback';

/** How many lines "Show Scrollback Tail" opens. */
export const tailLines = 1000;

interface ScrollbackQuery {
  name: string;
  lines?: number;
}

export class ScrollbackDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;

  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly host: Host) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scrollbackScheme, this);
  }

  /** The document's address: the title in the path, the exact session name and line count in the query. */
  static uri(name: string, lines?: number): vscode.Uri {
    // The title is the path's last segment: a '/' in a session name must not start another segment.
    const title = `scrollback: ${displayName(name).replace(/\//g, '∕')}${lines !== undefined ? ' (tail)' : ''}`;
    const query = JSON.stringify({ name, ...(lines !== undefined ? { lines } : {}) } satisfies ScrollbackQuery);
    return vscode.Uri.from({ scheme: scrollbackScheme, path: `/${title}`, query });
  }

  /** Opens (or refreshes and shows) a session's scrollback; the tail opens scrolled to its end. */
  async open(name: string, lines?: number): Promise<vscode.TextEditor> {
    const uri = ScrollbackDocuments.uri(name, lines);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      this.changeEmitter.fire(uri);
    }
    const document = await vscode.workspace.openTextDocument(uri);
    // The tail opens with its cursor at the end in the show itself, not by a reveal and a selection that reach
    // the editor after it is shown.
    const end = new vscode.Position(document.lineCount - 1, 0);
    return vscode.window.showTextDocument(document, {
      preview: true,
      ...(lines !== undefined ? { selection: new vscode.Range(end, end) } : {}),
    });
  }

  /** Reads the document's session again. */
  refresh(uri: vscode.Uri): void {
    if (uri.scheme === scrollbackScheme) {
      this.changeEmitter.fire(uri);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { name, lines } = JSON.parse(uri.query) as ScrollbackQuery;
    const client = await this.host.ready();
    const result = await client.scrollback(name, lines, token);
    return `${scrollbackHeader(name, result, lines !== undefined)}\n${result.text}\n`;
  }

  dispose(): void {
    this.registration.dispose();
    this.changeEmitter.dispose();
  }
}
