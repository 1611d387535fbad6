// What an empty grid pane draws and how it reads keys and clicks. The pane is a terminal (a pseudoterminal) like
// the panes beside it: no webview to load, the terminal's own theme colours, keyboard and mouse alike.
// Free of the `vscode` import so node tests can check it.
import { describeSession, displayName } from './presentation';
import type { Session, SessionStatus } from './protocol';

/** What a row of the pane does when chosen. */
export type PaneTarget = { kind: 'session'; id: string } | { kind: 'create' };

/** One drawing of the pane: the bytes to write, and what each screen row (0-based) leads to. */
export interface PaneDrawing {
  text: string;
  targets: Map<number, PaneTarget>;
}

/** What the user did, read from the terminal's input. */
export type PaneInput =
  | { kind: 'up' }
  | { kind: 'down' }
  | { kind: 'choose' }
  | { kind: 'number'; value: number }
  | { kind: 'create' }
  | { kind: 'click'; row: number }
  | { kind: 'scroll'; by: number };

const escape = '\x1b';
const reset = `${escape}[0m`;
// ANSI colours follow the terminal's theme; what needs the user stands out, what rests is dimmed.
const statusStyle: Record<SessionStatus, string> = {
  waiting: `${escape}[1;33m`,
  stuck: `${escape}[1;35m`,
  error: `${escape}[1;31m`,
  running: `${escape}[32m`,
  idle: `${escape}[34m`,
  unknown: `${escape}[2m`,
  ended: `${escape}[2m`,
};
const statusMark: Record<SessionStatus, string> = {
  waiting: '!',
  stuck: '▲',
  error: '✖',
  running: '●',
  idle: '○',
  unknown: '·',
  ended: '✓',
};

/** Hides the cursor and asks for SGR mouse reports, so a click arrives as input. */
export const paneSetup = `${escape}[?25l${escape}[?1000h${escape}[?1006h`;

/**
 * Draws pane N with `sessions` (already in the user's sort order), `selected` highlighted, on a screen of
 * `columns` × `rows`. The list scrolls so the selected row is always on screen.
 */
export function drawEmptyPane(
  pane: number,
  sessions: readonly Session[],
  selected: number,
  size: { columns: number; rows: number },
  now: number,
): PaneDrawing {
  const width = Math.max(size.columns, 10);
  const lines: string[] = [];
  const targets = new Map<number, PaneTarget>();
  const fit = (text: string) => [...text].slice(0, width).join('');
  lines.push(`${escape}[1m${fit(`Pane #${pane} — empty`)}${reset}`);
  lines.push(`${escape}[2m${fit(sessions.length ? 'Click a session, or press its number, to show it here.' : 'No sessions yet.')}${reset}`);
  lines.push('');
  // Two rows stay for the Create button below the list.
  const room = Math.max(size.rows - lines.length - 2, 1);
  const first = Math.min(Math.max(selected - room + 1, 0), Math.max(sessions.length - room, 0));
  sessions.slice(first, first + room).forEach((session, offset) => {
    const index = first + offset;
    const number = index < 9 ? `${index + 1}` : ' ';
    const [status, ...rest] = describeSession(session, now).split(' · ');
    const plain = fit(` ${number} ${statusMark[session.status] ?? '·'} ${displayName(session.name)}  ${status}${rest.length ? ` · ${rest.join(' · ')}` : ''}`);
    targets.set(lines.length, { kind: 'session', id: session.id });
    lines.push(index === selected ? `${escape}[7m${plain.padEnd(width)}${reset}` : colour(plain, session.status));
  });
  lines.push('');
  targets.set(lines.length, { kind: 'create' });
  const create = fit(' [ + Create Session ]  (c)');
  lines.push(selected === sessions.length ? `${escape}[7m${create}${reset}` : `${escape}[1m${create}${reset}`);
  // Drawn over the old screen in place (home, each line cleared to its end, the rest below cleared): clearing the
  // whole screen would push every drawing into the terminal's scrollback.
  return { text: `${escape}[H${lines.map((line) => `${line}${escape}[K`).join('\r\n')}${escape}[J`, targets };
}

/** The session row in its status colour: the mark and the status word carry it, the name stays plain. */
function colour(line: string, status: SessionStatus): string {
  const style = statusStyle[status] ?? '';
  return `${style}${line}${reset}`;
}

const mousePattern = new RegExp(`^${escape}\\[<(\\d+);(\\d+);(\\d+)([Mm])`);
const otherSequence = new RegExp(`^${escape}(\\[[0-9;?<]*[ -/]*[@-~]|O.|.)?`);

/** Reads one chunk of terminal input into the user's actions. */
export function readPaneInput(data: string): PaneInput[] {
  const actions: PaneInput[] = [];
  let rest = data;
  while (rest.length > 0) {
    const mouse = mousePattern.exec(rest);
    if (mouse) {
      const [whole, button, , row, kind] = mouse;
      const code = Number(button);
      if (kind === 'M' && code === 0) {
        actions.push({ kind: 'click', row: Number(row) - 1 });
      } else if (kind === 'M' && (code === 64 || code === 65)) {
        actions.push({ kind: 'scroll', by: code === 64 ? -1 : 1 });
      }
      rest = rest.slice(whole.length);
      continue;
    }
    if (rest.startsWith(`${escape}[A`) || rest.startsWith(`${escape}OA`)) {
      actions.push({ kind: 'up' });
      rest = rest.slice(3);
    } else if (rest.startsWith(`${escape}[B`) || rest.startsWith(`${escape}OB`)) {
      actions.push({ kind: 'down' });
      rest = rest.slice(3);
    } else if (rest[0] === '\r' || rest[0] === '\n' || rest[0] === ' ') {
      actions.push({ kind: 'choose' });
      rest = rest.slice(1);
    } else if (rest[0] >= '1' && rest[0] <= '9') {
      actions.push({ kind: 'number', value: Number(rest[0]) });
      rest = rest.slice(1);
    } else if (rest[0] === 'c' || rest[0] === 'C') {
      actions.push({ kind: 'create' });
      rest = rest.slice(1);
    } else if (rest[0] === 'k') {
      actions.push({ kind: 'up' });
      rest = rest.slice(1);
    } else if (rest[0] === 'j') {
      actions.push({ kind: 'down' });
      rest = rest.slice(1);
    } else {
      // Anything else (other escape sequences, letters) is not an action: skip the sequence whole.
      const sequence = otherSequence.exec(rest);
      rest = rest.slice(sequence && sequence[0].length > 0 ? sequence[0].length : 1);
    }
  }
  return actions;
}
