// Entry point: wire the host, the views and the commands; every registration goes into subscriptions.
// Activation (onStartupFinished) stays cheap: the host starts at once, the tree fills only when shown.
import * as vscode from 'vscode';
import { registerAgentHooks } from './agentHooks';
import { registerCommands } from './commands';
import { Grid, GridStore, registerGridCommands } from './grid';
import { Host } from './host';
import { Notifications } from './notifications';
import { NotRunningView } from './notRunning';
import { ScrollbackDocuments } from './scrollback';
import { SessionsView } from './sessionsView';
import { StatusBar } from './statusBar';
import { Terminals } from './terminals';

/** The host's one owner: `deactivate()` stops it (it is not a subscription, so nothing else disposes it). */
let host: Host | undefined;

export function activate(context: vscode.ExtensionContext): void {
  host = new Host(context.extensionPath);
  const terminals = new Terminals(host);
  const view = new SessionsView(host, terminals);
  const grid = new Grid(host, terminals, new GridStore(context.storageUri, context.workspaceState));
  const statusBar = new StatusBar(host, terminals, grid);
  const notifications = new Notifications(host, terminals, context.workspaceState);
  const scrollback = new ScrollbackDocuments(host);
  const notRunning = new NotRunningView(host);

  // Context keys drive the welcome views (starting / no sessions / tmux missing / host failed) and menus.
  const setContext = () => {
    void vscode.commands.executeCommand('setContext', 'plexus.hostState', host?.state ?? 'stopped');
    void vscode.commands.executeCommand('setContext', 'plexus.sessionCount', host?.sessions.length ?? 0);
    void vscode.commands.executeCommand('setContext', 'plexus.hostFailure', host?.failureKind ?? '');
  };
  const setTerminalContext = () =>
    void vscode.commands.executeCommand('setContext', 'plexus.hasSessionTerminals', terminals.entries.length > 0);

  context.subscriptions.push(
    terminals,
    grid,
    view,
    statusBar,
    notifications,
    scrollback,
    notRunning,
    host.onDidChangeState(setContext),
    host.onDidChangeSessions(setContext),
    terminals.onDidChange(setTerminalContext),
    ...registerCommands(host, view, terminals, statusBar, scrollback, context.workspaceState, grid),
    ...registerGridCommands(grid),
    ...registerAgentHooks(host),
  );
  setContext();
  setTerminalContext();
  host.start();
}

export async function deactivate(): Promise<void> {
  // Stops the host cleanly (shutdown, exit, kill after a timeout), then releases its log; tmux keeps running.
  await host?.dispose();
  host = undefined;
}
