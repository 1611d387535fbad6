// Typed reader of the `plexus.*` settings.
import * as vscode from 'vscode';
import type { Settings } from './protocol';
import type { SortBy } from './presentation';

export interface HostSettings {
  hostPath: string | undefined;
  tmuxPath: string | undefined;
  tmuxSocketName: string | undefined;
  tmuxSocketPath: string | undefined;
  rememberSessions: boolean;
}

export type TerminalLocationSetting = 'panel' | 'editor';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('plexus');
}

/**
 * Reads a machine-scoped string from the user's own settings only. Workspace values are ignored on purpose:
 * an untrusted folder must never choose an executable or a socket.
 */
function machineString(key: string): string | undefined {
  const inspected = config().inspect<string>(key);
  const value = inspected?.globalValue ?? inspected?.defaultValue;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function hostSettings(): HostSettings {
  return {
    hostPath: machineString('host.path'),
    tmuxPath: machineString('tmux.path'),
    tmuxSocketName: machineString('tmux.socketName'),
    tmuxSocketPath: machineString('tmux.socketPath'),
    rememberSessions: config().get<boolean>('sessions.remember', true),
  };
}

function positiveNumber(key: string, fallback: number): number {
  const value = config().get<number>(key);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function statusSettings(): Settings {
  return {
    idleAfterSeconds: positiveNumber('status.idleAfterSeconds', 3),
    stuckAfterSeconds: positiveNumber('status.stuckAfterSeconds', 120),
  };
}

export function notificationsEnabled(): boolean {
  return config().get<boolean>('notifications.enabled', true);
}

export function sortBy(): SortBy {
  const value = config().get<string>('sessions.sortBy', 'attention');
  return value === 'name' || value === 'created' ? value : 'attention';
}

export function terminalLocation(): TerminalLocationSetting {
  return config().get<string>('terminal.location', 'panel') === 'editor' ? 'editor' : 'panel';
}

export function affectsHost(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('plexus.tmux') || event.affectsConfiguration('plexus.host') || event.affectsConfiguration('plexus.sessions.remember');
}

export function affectsStatus(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('plexus.status');
}

/** Restore the sessions that are not running when the window starts, without asking. */
export function restoreOnStartup(): boolean {
  return config().get<boolean>('sessions.restoreOnStartup', false);
}
