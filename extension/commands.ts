// Every Plexus command: what the user asked, sent to the host; errors shown in words.
import * as vscode from 'vscode';
import { pickAnswer } from './answers';
import { errorMessage, isError } from './client';
import type { Grid } from './grid';
import type { Host } from './host';
import { suggestSessionName, validateSessionName } from './names';
import { describeSession, displayName, nowSeconds, sortSessions, treeIcon } from './presentation';
import { ErrorCodes, type Session, type SessionRecord } from './protocol';
import { sortBy } from './settings';
import { tailLines, type ScrollbackDocuments } from './scrollback';
import type { SessionsView } from './sessionsView';
import type { StatusBar } from './statusBar';
import type { Terminals } from './terminals';

/** A command's target: a tree item (Session), a name (status bar, notifications), or nothing (palette). */
type SessionArg = Session | string | undefined;

/** What a tree command gets besides its row: every selected row (canSelectMany). */
type Selection = readonly Session[] | undefined;

/** The command line each session was started with from this window, by socket and session id. */
const startCommandsKey = 'plexus.startCommands';

export interface CreateSessionArgs {
  name?: string;
  command?: string;
  cwd?: string;
  attach?: boolean;
  /** The grid pane to show it in; default: the first empty pane when a grid is open. */
  pane?: number;
}

/** A command that shows its failure as an error message instead of failing silently. */
export const run =
  <A extends unknown[]>(action: (...args: A) => Promise<unknown>) =>
  async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(describeError(error));
    }
  };

export function registerCommands(
  host: Host,
  view: SessionsView,
  terminals: Terminals,
  statusBar: StatusBar,
  scrollback: ScrollbackDocuments,
  state: vscode.Memento,
  grid: Grid,
): vscode.Disposable[] {

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

  /** The rows a tree command acts on: all selected ones when the clicked row is among them, else the one target. */
  const targets = async (arg: SessionArg, selection: Selection, placeHolder: string, filter?: (s: Session) => boolean): Promise<string[]> => {
    if (typeof arg === 'object' && selection && selection.length > 1 && selection.some((s) => s.id === arg.id)) {
      return selection.map((s) => s.name);
    }
    const name = await target(arg, placeHolder, filter);
    return name === undefined ? [] : [name];
  };

  const existingNames = () => host.sessions.map((s) => s.name);

  const commandKey = (name: string) => {
    const id = host.sessions.find((s) => s.name === name)?.id;
    return id === undefined ? undefined : `${host.socketPath ?? ''}|${id}`;
  };
  /** By session id, which the caller has even before the host's next list names the session. */
  const rememberCommand = (id: string, command: string) => {
    const known = state.get<Record<string, string>>(startCommandsKey, {});
    // Only sessions that still exist: the stored map stays small.
    const alive = new Set(host.sessions.map((s) => `${host.socketPath ?? ''}|${s.id}`));
    const kept = Object.entries(known).filter(([key]) => alive.has(key));
    void state.update(startCommandsKey, { ...Object.fromEntries(kept), [`${host.socketPath ?? ''}|${id}`]: command });
  };
  const startCommandOf = (name: string): string | undefined => {
    const key = commandKey(name);
    return (key !== undefined ? state.get<Record<string, string>>(startCommandsKey, {})[key] : undefined) ?? host.sessions.find((s) => s.name === name)?.command;
  };

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
    if (command.trim() !== '') {
      rememberCommand(session.id, command.trim());
    }
    if (args?.attach !== false) {
      const pane = args?.pane ?? (grid.isOpen ? grid.firstEmpty() : undefined);
      if (pane !== undefined) {
        await grid.put(pane, session);
        await grid.focus(pane);
      } else {
        await terminals.attach(session.name);
      }
    }
  };

  /** Attaches a session: with a grid open, one shown nowhere yet fills the first empty pane; one shown is focused. */
  const show = async (name: string, readOnly = false) => {
    const session = host.sessions.find((s) => s.name === name);
    const pane = !readOnly && session && !terminals.has(session) ? grid.firstEmpty() : undefined;
    if (session && pane !== undefined) {
      await grid.put(pane, session);
      await grid.focus(pane);
    } else {
      await terminals.attach(name, { readOnly });
    }
  };

  const attach = (readOnly: boolean) => async (arg: SessionArg, selection: Selection) => {
    for (const name of await targets(arg, selection, readOnly ? 'Session to watch read-only' : 'Session to attach')) {
      await show(name, readOnly);
    }
  };

  // From the palette with no session named, or from a terminal tab's menu: the terminal(s) it is about.
  const detach = async (arg: SessionArg | vscode.Terminal, selection: Selection | vscode.Terminal[]) => {
    const clicked = isTerminal(arg) ? arg : undefined;
    const tabs = Array.isArray(selection) && selection.every(isTerminal) ? (selection) : [];
    if (clicked || (arg === undefined && terminals.nameOf(vscode.window.activeTerminal) !== undefined)) {
      const chosen = tabs.length > 1 ? tabs : [clicked ?? vscode.window.activeTerminal];
      const names = chosen.map((t) => terminals.nameOf(t)).filter((n): n is string => n !== undefined);
      if (names.length === 0) {
        void vscode.window.showInformationMessage('This terminal does not show a Plexus session. Close it with its trash icon.');
        return;
      }
      detachNames(names);
    } else {
      await detachRows(arg as SessionArg, selection as Selection);
    }
  };

  // From the Sessions view: its row(s). Never the active terminal: a row VS Code lost during a redraw arrives as
  // no argument at all, and the user then picks the session rather than losing another one's terminal.
  const detachRows = async (arg: SessionArg, selection: Selection) => {
    detachNames(await targets(arg, selection, 'Session to detach', (s) => terminals.has(s)));
  };

  const detachNames = (names: string[]) => {
    const detached = names.filter((name) => terminals.detach(name));
    if (detached.length > 0) {
      const which = detached.length === 1 ? `'${displayName(detached[0])}'` : `${detached.length} sessions`;
      void vscode.window.showInformationMessage(`Detached from ${which}. ${detached.length === 1 ? 'It keeps' : 'They keep'} running in tmux — attach again from the Sessions view.`);
    }
  };

  const killSession = async (arg: SessionArg, selection: Selection) => {
    const names = await targets(arg, selection, 'Session to kill');
    if (names.length === 0) {
      return;
    }
    const kill = 'Kill';
    const question =
      names.length === 1
        ? `Kill session '${displayName(names[0])}'? Its program will be terminated.`
        : `Kill ${names.length} sessions (${names.map((n) => `'${displayName(n)}'`).join(', ')})? Their programs will be terminated.`;
    const choice = await vscode.window.showWarningMessage(question, { modal: true }, kill);
    if (choice !== kill) {
      return;
    }
    const client = await host.ready();
    const forgotten: SessionRecord[] = [];
    for (const name of names) {
      const record = await client.killSession(name);
      if (record) {
        forgotten.push(record);
      }
    }
    if (forgotten.length > 0) {
      void offerUndoKill(forgotten);
    }
  };

  /** A kill forgets the sessions' records; Undo puts them back, so they show in Not Running, restorable. */
  const offerUndoKill = async (records: readonly SessionRecord[]) => {
    const undo = 'Undo';
    const message =
      records.length === 1
        ? `Killed '${displayName(records[0].name)}'; Plexus forgot it.`
        : `Killed ${records.length} sessions; Plexus forgot them.`;
    if ((await vscode.window.showInformationMessage(message, undo)) !== undo) {
      return;
    }
    const client = await host.ready();
    for (const record of records) {
      try {
        await client.rememberSession(record);
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not bring back ${displayName(record.name)}: ${errorMessage(error)}`);
      }
    }
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

  const respawnWithCommand = async (arg: SessionArg) => {
    const name = await target(arg, 'Session to respawn', (s) => s.status === 'ended' || s.status === 'error');
    if (name === undefined) {
      return;
    }
    const command = await vscode.window.showInputBox({
      title: `Respawn Session '${displayName(name)}'`,
      prompt: 'Command to run instead (empty = your shell)',
      value: startCommandOf(name) ?? '',
      ignoreFocusOut: true,
    });
    if (command === undefined) {
      return;
    }
    const session = await (await host.ready()).respawnSession(name, command.trim() || undefined);
    if (command.trim() !== '') {
      rememberCommand(session.id, command.trim());
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

  const showScrollback = (tail: boolean) => async (arg: SessionArg) => {
    const name = await target(arg, 'Session whose output to show');
    if (name !== undefined) {
      await scrollback.open(name, tail ? tailLines : undefined);
    }
  };

  const refreshScrollback = (uri?: vscode.Uri) => {
    const shown = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (shown) {
      scrollback.refresh(shown);
    }
  };

  const pickTerminal = async () => {
    const now = nowSeconds();
    const picked = await vscode.window.showQuickPick(
      statusBar.numbered().map(({ number, entry }) => {
        const session = host.sessions.find((s) => s.id === entry.id) ?? host.sessions.find((s) => s.name === entry.name);
        return {
          label: `#${number} ${entry.readOnly ? '$(eye) ' : ''}${displayName(entry.name)}`,
          description: session ? describeSession(session, now) : undefined,
          terminal: entry.terminal,
        };
      }),
      { placeHolder: 'Plexus terminal to focus' },
    );
    picked?.terminal.show();
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

  return [
    vscode.commands.registerCommand('plexus.createSession', run(createSession)),
    vscode.commands.registerCommand('plexus.attachSession', run(attach(false))),
    vscode.commands.registerCommand('plexus.attachSessionReadOnly', run(attach(true))),
    vscode.commands.registerCommand('plexus.killSession', run(killSession)),
    vscode.commands.registerCommand('plexus.detachSession', run(detach)),
    vscode.commands.registerCommand('plexus.detachSessionRow', run(detachRows)),
    vscode.commands.registerCommand('plexus.renameSession', run(renameSession)),
    vscode.commands.registerCommand('plexus.respawnSession', run(respawnSession)),
    vscode.commands.registerCommand('plexus.respawnSessionWithCommand', run(respawnWithCommand)),
    vscode.commands.registerCommand('plexus.sendText', run(sendText)),
    vscode.commands.registerCommand('plexus.answer', run(answerSession)),
    vscode.commands.registerCommand('plexus.showScrollback', run(showScrollback(false))),
    vscode.commands.registerCommand('plexus.showScrollbackTail', run(showScrollback(true))),
    vscode.commands.registerCommand('plexus.refreshScrollback', refreshScrollback),
    vscode.commands.registerCommand('plexus.pickTerminal', run(pickTerminal)),
    vscode.commands.registerCommand('plexus.refresh', run(() => host.refresh())),
    vscode.commands.registerCommand('plexus.showHostLog', () => host.log.show(true)),
    vscode.commands.registerCommand('plexus.restartHost', run(() => host.restart())),
    vscode.commands.registerCommand('plexus.focusTerminal', run(focusTerminal)),
    vscode.commands.registerCommand('plexus.openSelectedSession', run(async () => {
      const session = view.selectedSession;
      if (session) {
        await show(session.name);
      }
    })),
    vscode.commands.registerCommand('plexus.revealSession', run(revealSession)),
  ];
}

function isTerminal(value: unknown): value is vscode.Terminal {
  return typeof value === 'object' && value !== null && 'sendText' in value && 'processId' in value;
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
