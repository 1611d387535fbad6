// Entry point: wire the host, the views and the commands; every registration goes into subscriptions.
import * as vscode from 'vscode';
import { registerAgentHooks } from './agentHooks';
import { registerCommands } from './commands';
import { Host } from './host';
import { Notifications } from './notifications';
import { SessionsView } from './sessionsView';
import { StatusBar } from './statusBar';
import { Terminals } from './terminals';

let host: Host | undefined;

export function activate(context: vscode.ExtensionContext): void {
  host = new Host(context.extensionPath);
  const terminals = new Terminals(host);
  const view = new SessionsView(host);
  const statusBar = new StatusBar(host, terminals);
  const notifications = new Notifications(host, terminals);

  // Context keys drive the welcome views (starting / no sessions / tmux missing / host failed).
  const setContext = () => {
    void vscode.commands.executeCommand('setContext', 'plexus.hostState', host?.state ?? 'stopped');
    void vscode.commands.executeCommand('setContext', 'plexus.sessionCount', host?.sessions.length ?? 0);
    void vscode.commands.executeCommand('setContext', 'plexus.hostFailure', host?.failureKind ?? '');
  };

  context.subscriptions.push(
    host,
    terminals,
    view,
    statusBar,
    notifications,
    host.onDidChangeState(setContext),
    host.onDidChangeSessions(setContext),
    ...registerCommands(host, view, terminals),
    ...registerAgentHooks(host),
  );
  setContext();
  host.start();
}

export async function deactivate(): Promise<void> {
  // Stop the host cleanly (shutdown, exit, kill after a timeout); tmux and its sessions keep running.
  await host?.stop();
  host = undefined;
}
