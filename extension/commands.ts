// Every Plexus command: what the user asked, sent to the host; errors shown in words.
import * as vscode from 'vscode';
import { pickAnswer } from './answers';
import { errorMessage, isError } from './client';
import type { Host } from './host';
import { suggestSessionName, validateSessionName } from './names';
import { describeSession, displayName, nowSeconds, sortSessions, treeIcon } from './presentation';
import { ErrorCodes, type Session } from './protocol';
import { sortBy } from './settings';
import type { SessionsView } from './sessionsView';
import type { Terminals } from './terminals';

/** A command's target: a tree item (Session), a name (status bar, notifications), or nothing (palette). */
type SessionArg = Session | string | undefined;

export interface CreateSessionArgs {
  name?: string;
  command?: string;
  cwd?: string;
  attach?: boolean;
}

export function registerCommands(host: Host, view: SessionsView, terminals: Terminals): vscode.Disposable[] {
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<unknown>) =>
    async (...args: A): Promise<void> => {
      try {
        await action(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(describeError(error));
      }
    };

  /** The session the command is about, asking with a quick pick when the caller did not say. */
  const target = async (arg: SessionArg, placeHolder: string, filter: (s: Session) => boolean = () => true): Promise<string | undefined> => {
    if (typeof arg === 'string') {
      return arg;
    }
    if (arg && typeof arg.name === 'string') {
      return arg.name;
    }
    await host.ready();
    const sessions = sortSessions(host.sessions, sortBy()).filter(filter);
    if (sessions.length === 0) {
      const create = 'Create Session';
      const choice = await vscode.window.showInformationMessage('No matching sessions.', create);
      if (choice === create) {
        await vscode.commands.executeCommand('plexus.createSession');
      }
      return undefined;
    }
    const now = nowSeconds();
    const picked = await vscode.window.showQuickPick(
      sessions.map((s) => ({
        label: `$(${treeIcon(s.status).id.replace('~spin', '')}) ${displayName(s.name)}`,
        description: describeSession(s, now),
        detail: s.detail,
        name: s.name,
      })),
      { placeHolder, matchOnDescription: true },
    );
    return picked?.name;
  };

  const existingNames = () => host.sessions.map((s) => s.name);

  const createSession = async (args?: CreateSessionArgs) => {
    await host.ready();
    const name =
      args?.name ??
      (await vscode.window.showInputBox({
        title: 'Create Session (1/2)',
        prompt: 'Session name',
        value: suggestSessionName(existingNames()),
        validateInput: (value) => validateSessionName(value, existingNames()),
        ignoreFocusOut: true,
      }));
    if (name === undefined) {
      return;
    }
    const command =
      args?.command ??
      (await vscode.window.showInputBox({
        title: `Create Session '${name}' (2/2)`,
        prompt: 'Command to run, e.g. claude, codex, gemini',
        placeHolder: 'empty = your shell',
        ignoreFocusOut: true,
      }));
    if (command === undefined) {
      return;
    }
    const client = await host.ready();
    const cwd = args?.cwd ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    const session = await client.createSession({
      name,
      ...(command.trim() !== '' ? { command: command.trim() } : {}),
      ...(cwd ? { cwd } : {}),
    });
    if (args?.attach !== false) {
      await terminals.attach(session.name);
    }
  };

  const attach = (readOnly: boolean) => async (arg: SessionArg) => {
    const name = await target(arg, readOnly ? 'Session to watch read-only' : 'Session to attach');
    if (name !== undefined) {
      await terminals.attach(name, { readOnly });
    }
  };

  const killSession = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to kill');
    if (name === undefined) {
      return;
    }
    const kill = 'Kill';
    const choice = await vscode.window.showWarningMessage(`Kill session '${displayName(name)}'? Its program will be terminated.`, { modal: true }, kill);
    if (choice !== kill) {
      return;
    }
    await (await host.ready()).killSession(name);
  };

  const renameSession = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to rename');
    if (name === undefined) {
      return;
    }
    const newName = await vscode.window.showInputBox({
      title: `Rename Session '${displayName(name)}'`,
      prompt: 'New name',
      value: name,
      validateInput: (value) => (value === name ? undefined : validateSessionName(value, existingNames())),
    });
    if (newName === undefined || newName === name) {
      return;
    }
    await (await host.ready()).renameSession(name, newName);
  };

  const respawnSession = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to respawn', (s) => s.status === 'ended' || s.status === 'error');
    if (name !== undefined) {
      await (await host.ready()).respawnSession(name);
    }
  };

  const sendText = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to type into', (s) => s.status !== 'ended' && s.status !== 'error');
    if (name === undefined) {
      return;
    }
    const text = await vscode.window.showInputBox({
      title: `Send Text to '${displayName(name)}'`,
      prompt: 'Typed into the session, then Enter',
      placeHolder: 'e.g. y, or an answer to its question',
    });
    if (text !== undefined) {
      await (await host.ready()).sendText(name, text, true);
    }
  };

  const answerSession = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to answer', (s) => s.status === 'waiting');
    if (name !== undefined) {
      await pickAnswer(host, terminals, name, host.sessions.find((s) => s.name === name)?.reason);
    }
  };

  const showScrollback = async (arg: SessionArg) => {
    const name = await target(arg, 'Session whose output to show');
    if (name === undefined) {
      return;
    }
    const { text } = await (await host.ready()).scrollback(name);
    const document = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
    await vscode.window.showTextDocument(document, { preview: true });
  };

  const focusTerminal = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to show');
    if (name !== undefined) {
      await terminals.attach(name);
    }
  };

  const revealSession = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to reveal');
    if (name !== undefined) {
      await view.reveal(name);
    }
  };

  const openGrid = async () => {
    await host.ready();
    await terminals.openGrid(sortSessions(host.sessions, sortBy()));
  };

  return [
    vscode.commands.registerCommand('plexus.createSession', run(createSession)),
    vscode.commands.registerCommand('plexus.attachSession', run(attach(false))),
    vscode.commands.registerCommand('plexus.attachSessionReadOnly', run(attach(true))),
    vscode.commands.registerCommand('plexus.killSession', run(killSession)),
    vscode.commands.registerCommand('plexus.renameSession', run(renameSession)),
    vscode.commands.registerCommand('plexus.respawnSession', run(respawnSession)),
    vscode.commands.registerCommand('plexus.sendText', run(sendText)),
    vscode.commands.registerCommand('plexus.answer', run(answerSession)),
    vscode.commands.registerCommand('plexus.showScrollback', run(showScrollback)),
    vscode.commands.registerCommand('plexus.refresh', run(() => host.refresh())),
    vscode.commands.registerCommand('plexus.showHostLog', () => host.log.show(true)),
    vscode.commands.registerCommand('plexus.restartHost', run(() => host.restart())),
    vscode.commands.registerCommand('plexus.focusTerminal', run(focusTerminal)),
    vscode.commands.registerCommand('plexus.openGrid', run(openGrid)),
    vscode.commands.registerCommand('plexus.revealSession', run(revealSession)),
  ];
}

/** The host's message, with what to do next for the failures a user can fix. */
function describeError(error: unknown): string {
  if (isError(error, ErrorCodes.TmuxNotInstalled)) {
    return 'tmux not found — install it with `sudo apt install tmux`, then run "Plexus: Restart Host".';
  }
  if (isError(error, ErrorCodes.SessionStillRunning)) {
    return `${errorMessage(error)} Respawn works once its program has exited.`;
  }
  if (isError(error, ErrorCodes.NotWaiting)) {
    return `${errorMessage(error)} Attach to see what it shows.`;
  }
  if (isError(error, ErrorCodes.SessionNotFound)) {
    return `${errorMessage(error)} It may have ended; the list is up to date now.`;
  }
  return errorMessage(error);
}
