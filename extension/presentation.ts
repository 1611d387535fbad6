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

// Shapes, not colours: the status bar's own colours keep text readable on every theme.
const statusBarIcons: Record<SessionStatus, string> = {
  unknown: 'circle-small',
  running: 'circle-filled',
  idle: 'circle-outline',
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

/**
 * The tree item's contextValue, `session.STATUS` plus `.terminal` when this window has the session's terminal open:
 * menus show Respawn only for ended/error, and Detach only where there is a terminal to close.
 */
export function contextValue(session: Session, hasTerminal = false): string {
  return `session.${session.status}${hasTerminal ? '.terminal' : ''}`;
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

/** An ended or failed session's detail: the last lines its program printed, one line for a notification. */
export function lastWords(detail: string | undefined): string | undefined {
  const lines = (detail ?? '').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.length > 0 ? lines.slice(-2).join(' ⏎ ') : undefined;
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
  if (session.detail && (session.status === 'ended' || session.status === 'error')) {
    lines.push('- Last output:', '', '```text', ...session.detail.split('\n').map((line) => `  ${line.replace(/`/g, "'")}`), '```', '');
  } else if (session.detail) {
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

/** "#1 $(circle-filled) coder-1", "#2 $(eye) $(bell) reviewer" for a read-only terminal: one status bar entry per open terminal. */
export function terminalEntryText(index: number, name: string, status: SessionStatus | undefined, readOnly = false): string {
  return `#${index} ${readOnly ? '$(eye) ' : ''}$(${statusBarIcon(status ?? 'unknown')}) ${displayName(name)}`;
}

/** At most this many terminal entries in the status bar; the rest are behind "+N". */
export const maxTerminalEntries = 4;

/** The terminals that get their own entry, and how many go behind "+N", in number order. */
export function terminalEntries<T extends { number: number }>(terminals: readonly T[], max = maxTerminalEntries): { shown: T[]; more: T[] } {
  const sorted = [...terminals].sort((a, b) => a.number - b.number);
  // "+1" would take the place of the entry it hides: show that one instead.
  return sorted.length <= max + 1 ? { shown: sorted, more: [] } : { shown: sorted.slice(0, max), more: sorted.slice(max) };
}

/**
 * Numbers for open terminals that do not shift: a terminal keeps its number until it closes, and a new one takes the
 * smallest free number.
 */
export class StableNumbers<K> {
  private readonly numbers = new Map<K, number>();

  /** Forgets closed keys, numbers new ones; returns each key's number. */
  update(keys: Iterable<K>): Map<K, number> {
    const open = new Set(keys);
    for (const key of [...this.numbers.keys()]) {
      if (!open.has(key)) {
        this.numbers.delete(key);
      }
    }
    const taken = new Set(this.numbers.values());
    for (const key of open) {
      if (!this.numbers.has(key)) {
        let next = 1;
        while (taken.has(next)) {
          next++;
        }
        taken.add(next);
        this.numbers.set(key, next);
      }
    }
    return new Map(this.numbers);
  }
}

/** The attention entry: undefined when nothing waits, is stuck or failed. */
export function attentionEntryText(sessions: readonly Session[]): string | undefined {
  const waiting = sessions.filter((s) => s.status === 'waiting').length;
  const stuck = sessions.filter((s) => s.status === 'stuck').length;
  const failed = sessions.filter((s) => s.status === 'error').length;
  if (waiting + stuck + failed === 0) {
    return undefined;
  }
  const parts: string[] = [];
  if (waiting > 0) {
    parts.push(`${waiting} waiting`);
  }
  if (stuck > 0) {
    parts.push(`${stuck} stuck`);
  }
  if (failed > 0) {
    parts.push(`${failed} failed`);
  }
  return `$(${waiting + stuck > 0 ? 'bell' : 'error'}) ${parts.join(', ')}`;
}

/** The theme colour behind the attention entry: error while a session failed, warning otherwise. */
export function attentionBackground(sessions: readonly Session[]): 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground' {
  return sessions.some((s) => s.status === 'error') ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground';
}

/** The session the attention entry reveals: the first waiting, else stuck, else failed, in view order. */
export function firstNeedingUser(sessions: readonly Session[]): Session | undefined {
  return sessions.find((s) => s.status === 'waiting') ?? sessions.find((s) => s.status === 'stuck') ?? sessions.find((s) => s.status === 'error');
}

/** The first line of a scrollback document: how many lines it shows, of how many, and how to get more. */
export function scrollbackHeader(name: string, result: { lineCount: number; totalLines?: number; historyLimit?: number }, tail: boolean): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const total = result.totalLines ?? result.lineCount;
  const shown =
    result.lineCount < total
      ? `the last ${count(result.lineCount)} of ${count(total)} lines`
      : `all ${count(total)} ${total === 1 ? 'line' : 'lines'}`;
  const limit = result.historyLimit !== undefined ? `; tmux keeps up to ${count(result.historyLimit)} lines of history` : '';
  const more = tail ? ' — "Plexus: Show Scrollback" shows them all' : '';
  return `── scrollback of '${displayName(name)}': ${shown}${limit}${more}. Refresh: "Plexus: Refresh Scrollback". ──`;
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
      const words = lastWords(change.detail);
      return { severity: 'error', message: `'${name}' exited with code ${change.exitCode}${words ? `: ${words}` : ''}. Respawn it, or attach to see its output.` };
    }
    default:
      return undefined;
  }
}

/** Per-session cool-down, keyed by tmux session id so a rename does not reset it. */
export class CoolDown {
  private readonly last = new Map<string, number>();

  constructor(private readonly periodMs: number) {}

  /** True when a notification about `id` may be shown at `now` (ms), and records it. */
  tryTake(id: string, now: number): boolean {
    const previous = this.last.get(id);
    if (previous !== undefined && now - previous < this.periodMs) {
      return false;
    }
    this.last.set(id, now);
    return true;
  }
}

/** A session's last status as this window saw it, and since when, stored in the window's workspace state. */
export type SeenStatuses = Record<string, { status: SessionStatus; since: number }>;

/** Two reports of one transition may differ by the rounding of tmux's whole-second output times. */
const sameTransitionSeconds = 2;

/**
 * Notify once per transition (the issue's key: tmux session id and statusSince), also across host restarts: a
 * restarted host meets every session afresh, may first see it as `unknown` or briefly `running`, and reports the
 * status it was in all along with the same `since` (the host dates a quiet session's status from its last output).
 * Keys are the tmux socket and session id, so renames change nothing.
 */
export class SeenLedger {
  constructor(private seen: SeenStatuses = {}) {}

  /** Records the change; true when it is a transition the user has not been told about. */
  isNews(key: string, change: Pick<StatusChangedParams, 'status' | 'since'>): boolean {
    const last = this.seen[key] as SeenStatuses[string] | string | undefined;
    this.seen = { ...this.seen, [key]: { status: change.status, since: change.since } };
    // Entries of an older shape (a bare status) say too little to tell; they count as not seen.
    const seen = typeof last === 'object' ? last : undefined;
    return !(seen && seen.status === change.status && Math.abs(seen.since - change.since) < sameTransitionSeconds);
  }

  /** Drops sessions that no longer exist, so the stored state stays small. */
  retain(keys: Iterable<string>): void {
    const alive = new Set(keys);
    this.seen = Object.fromEntries(Object.entries(this.seen).filter(([key]) => alive.has(key)));
  }

  get state(): SeenStatuses {
    return this.seen;
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
