// How sessions look: labels, descriptions, tooltips, icons, order, status bar text and notification text.
// Pure functions over protocol data, free of the `vscode` import so they are unit-tested in node.
import { codePointLabel } from './names';
import type { PromptResult, Session, SessionStatus, StatusChangedParams, WaitingReason } from './protocol';

export type SortBy = 'attention' | 'name' | 'created';

/** A codicon id and a theme color id; the view wraps them in ThemeIcon/ThemeColor. */
export interface IconSpec {
  id: string;
  color: string;
}

const treeIcons: Record<SessionStatus, IconSpec> = {
  unknown: { id: 'circle-outline', color: 'descriptionForeground' },
  running: { id: 'loading~spin', color: 'charts.green' },
  idle: { id: 'circle-outline', color: 'charts.blue' },
  waiting: { id: 'bell', color: 'charts.yellow' },
  stuck: { id: 'warning', color: 'charts.orange' },
  ended: { id: 'pass', color: 'disabledForeground' },
  error: { id: 'error', color: 'errorForeground' },
};

const statusBarIcons: Record<SessionStatus, string> = {
  unknown: 'circle-outline',
  running: 'circle-filled',
  idle: 'circle-filled',
  waiting: 'bell',
  stuck: 'warning',
  ended: 'pass',
  error: 'error',
};

export function treeIcon(status: SessionStatus): IconSpec {
  return treeIcons[status] ?? treeIcons.unknown;
}

export function statusBarIcon(status: SessionStatus): string {
  return statusBarIcons[status] ?? statusBarIcons.unknown;
}

export function statusColor(status: SessionStatus): string {
  return treeIcon(status).color;
}

/** The tree item's contextValue: menus show Respawn only for ended/error. */
export function contextValue(session: Session): string {
  return `session.${session.status}`;
}

// Lower comes first: what needs the user, then what works, then what rests.
const attentionRank: Record<SessionStatus, number> = {
  waiting: 0,
  stuck: 1,
  error: 2,
  running: 3,
  idle: 4,
  unknown: 5,
  ended: 6,
};

export function sortSessions(sessions: readonly Session[], sortBy: SortBy): Session[] {
  const byName = (a: Session, b: Session) => a.name.localeCompare(b.name, undefined, { numeric: true });
  const sorted = [...sessions];
  switch (sortBy) {
    case 'name':
      return sorted.sort(byName);
    case 'created':
      return sorted.sort((a, b) => a.createdAt - b.createdAt || byName(a, b));
    case 'attention':
    default:
      return sorted.sort((a, b) => (attentionRank[a.status] ?? 5) - (attentionRank[b.status] ?? 5) || byName(a, b));
  }
}

/** A short age: "now", "42s", "5m", "3h", "2d". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 1) {
    return 'now';
  }
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)}h`;
  }
  return `${Math.floor(s / 86400)}d`;
}

/** A longer age for tooltips: "1h 5m", "3m 12s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m ${s % 60}s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export function nowSeconds(): number {
  return Date.now() / 1000;
}

const reasonText: Record<WaitingReason, string> = {
  permission: 'asks for permission',
  question: 'asks a question',
  input: 'waits for input',
};

export function describeReason(reason: WaitingReason | undefined): string {
  return reason ? (reasonText[reason] ?? `waits (${reason})`) : 'waits for you';
}

/** The status word with its detail: "waiting", "error (exit 3)". */
export function statusText(session: Pick<Session, 'status' | 'exitCode'>): string {
  if ((session.status === 'ended' || session.status === 'error') && session.exitCode !== undefined && session.exitCode !== null) {
    return `${session.status} (exit ${session.exitCode})`;
  }
  return session.status;
}

/** "status · age · command · N win · attached" */
export function describeSession(session: Session, now: number): string {
  const parts = [statusText(session), formatAge(now - session.statusSince)];
  if (session.command) {
    parts.push(session.command);
  }
  parts.push(`${session.windows} win`);
  if (session.attachedClients === 1) {
    parts.push('attached');
  } else if (session.attachedClients > 1) {
    parts.push(`${session.attachedClients} attached`);
  }
  return parts.join(' · ');
}

// Characters that do not show, or that reorder the text around them: controls, format characters (zero-width,
// bidi marks, overrides, isolates), line and paragraph separators, and unpaired surrogates.
const unseen = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const blank = /^\p{White_Space}*$/u;

/**
 * A session name as the user should see it: "a\u200bb" shows as "a<U+200B>b". Plexus refuses such names, but
 * sessions made outside it may have them, and a name that looks like another one, or reads backwards, misleads.
 * Only for display: requests, ids and terminal markers keep the exact name.
 */
export function displayName(name: string): string {
  if (blank.test(name)) {
    return name.length === 0 ? '<empty>' : [...name].map((c) => `<${codePointLabel(c.codePointAt(0) ?? 0)}>`).join('');
  }
  return name.replace(unseen, (c) => `<${codePointLabel(c.codePointAt(0) ?? 0)}>`);
}

/** Escapes text for a MarkdownString so names and screen lines render literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** Markdown for the tree item's tooltip: every detail the host gave. */
export function tooltipMarkdown(session: Session, now: number): string {
  const lines = [`**${escapeMarkdown(displayName(session.name))}** — ${escapeMarkdown(statusText(session))} for ${formatDuration(now - session.statusSince)}`, ''];
  if (session.status === 'waiting') {
    lines.push(`- Waiting: ${escapeMarkdown(describeReason(session.reason))}`);
  }
  if (session.detail) {
    lines.push(`- Screen: \`${session.detail.replace(/`/g, "'")}\``);
  }
  if (session.exitCode !== undefined && session.exitCode !== null) {
    lines.push(`- Exit code: ${session.exitCode}`);
  }
  lines.push(`- Command: ${session.command ? `\`${session.command.replace(/`/g, "'")}\`` : '—'}`);
  lines.push(`- Directory: ${session.cwd ? `\`${session.cwd.replace(/`/g, "'")}\`` : '—'}`);
  lines.push(`- Windows: ${session.windows}`);
  lines.push(`- Attached clients: ${session.attachedClients}`);
  lines.push(`- Created: ${new Date(session.createdAt * 1000).toLocaleString()} (${formatAge(now - session.createdAt)} ago)`);
  lines.push(`- tmux id: \`${session.id}\``);
  return lines.join('\n');
}

export function sessionCountText(count: number): string {
  return count === 1 ? '1 session' : `${count} sessions`;
}

/** "#1 $(circle-filled) coder-1": one status bar entry per open Plexus terminal. */
export function terminalEntryText(index: number, name: string, status: SessionStatus | undefined): string {
  return `#${index} $(${statusBarIcon(status ?? 'unknown')}) ${displayName(name)}`;
}

/** The warning entry: undefined when nothing waits or is stuck. */
export function attentionEntryText(sessions: readonly Session[]): string | undefined {
  const waiting = sessions.filter((s) => s.status === 'waiting').length;
  const stuck = sessions.filter((s) => s.status === 'stuck').length;
  if (waiting + stuck === 0) {
    return undefined;
  }
  const parts: string[] = [];
  if (waiting > 0) {
    parts.push(`${waiting} waiting`);
  }
  if (stuck > 0) {
    parts.push(`${stuck} stuck`);
  }
  return `$(bell) ${parts.join(', ')}`;
}

/** The session the warning entry reveals: the first waiting, else the first stuck, in view order. */
export function firstNeedingUser(sessions: readonly Session[]): Session | undefined {
  return sessions.find((s) => s.status === 'waiting') ?? sessions.find((s) => s.status === 'stuck');
}

export interface NotificationText {
  severity: 'warning' | 'error';
  message: string;
}

/** What to tell the user about a status transition, or undefined when it is not worth a notification. */
export function notificationFor(change: StatusChangedParams): NotificationText | undefined {
  const detail = change.detail ? `: ${change.detail.trim()}` : '';
  const name = displayName(change.name);
  switch (change.status) {
    case 'waiting':
      return { severity: 'warning', message: `'${name}' ${describeReason(change.reason)}${detail}` };
    case 'stuck':
      return { severity: 'warning', message: `'${name}' looks stuck — no output for a while${detail}` };
    case 'error': {
      if (change.exitCode === undefined || change.exitCode === null) {
        // The program still runs: the agent's turn failed (an API error, a rate limit).
        return { severity: 'error', message: `'${name}': the agent's turn failed${detail}` };
      }
      const code = ` with code ${change.exitCode}`;
      return { severity: 'error', message: `'${name}' exited${code}. Respawn it or look at its output.` };
    }
    default:
      return undefined;
  }
}

/** Per-session cool-down: true when a notification for `name` may be shown at `now` (ms), and records it. */
export class CoolDown {
  private readonly last = new Map<string, number>();

  constructor(private readonly periodMs: number) {}

  tryTake(name: string, now: number): boolean {
    const previous = this.last.get(name);
    if (previous !== undefined && now - previous < this.periodMs) {
      return false;
    }
    this.last.set(name, now);
    return true;
  }

  rename(from: string, to: string): void {
    const value = this.last.get(from);
    this.last.delete(from);
    if (value !== undefined) {
      this.last.set(to, value);
    }
  }
}

/** Rows and columns for n editor groups: as square as possible, at most 9 groups. */
export function gridShape(count: number): { rows: number; columns: number } {
  const n = Math.max(1, Math.min(9, count));
  const columns = Math.ceil(Math.sqrt(n));
  return { rows: Math.ceil(n / columns), columns };
}

/** At most this many of a question's choices become notification buttons; the rest are one click away in Answer…. */
const choiceButtons = 3;

export const allow = 'Allow';
export const deny = 'Deny';

/** The buttons a waiting notification offers for its prompt, before Show: Allow/Deny, or the question's first choices. */
export function answerButtons(reason: WaitingReason | undefined, prompt: PromptResult | undefined): string[] {
  if (reason === 'permission') {
    return [allow, deny];
  }
  return (prompt?.choices ?? []).slice(0, choiceButtons).map((choice) => `${choice.number}. ${choice.label}`);
}

/** The host's answer for a button or quick-pick label: "allow", "deny" or the choice's number. */
export function answerFor(label: string): string {
  if (label === allow || label === deny) {
    return label.toLowerCase();
  }
  return label.split('.', 1)[0];
}
