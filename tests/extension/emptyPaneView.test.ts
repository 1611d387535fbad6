import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawEmptyPane, readPaneInput } from '../../extension/emptyPaneView';
import type { Session, SessionStatus } from '../../extension/protocol';

const now = 1_800_000_000;

function session(name: string, status: SessionStatus = 'idle'): Session {
  return { name, id: `$${name}`, windows: 1, attachedClients: 0, createdAt: now - 600, command: 'claude', cwd: '/p', status, statusSince: now - 5 };
}

/** The screen's rows as plain text. */
function rows(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split('\r\n');
}

describe('empty pane drawing', () => {
  it('lists the sessions with their number, status and program, and a Create row, each row leading where it says', () => {
    const drawing = drawEmptyPane(3, [session('coder', 'waiting'), session('reviewer')], 0, { columns: 60, rows: 12 }, now);
    const screen = rows(drawing.text);
    assert.equal(screen[0], 'Pane #3 — empty');
    assert.match(screen[3], /^ 1 ! coder {2}waiting/);
    assert.match(screen[4], /^ 2 ○ reviewer {2}idle · 5s · claude · 1 win/);
    assert.match(screen[6], /Create Session/);
    assert.deepEqual([...drawing.targets], [
      [3, { kind: 'session', id: '$coder' }],
      [4, { kind: 'session', id: '$reviewer' }],
      [6, { kind: 'create' }],
    ]);
  });

  it('cuts rows at the pane width and scrolls so the selected session stays on screen', () => {
    const many = Array.from({ length: 12 }, (_, i) => session(`agent-${i + 1}`));
    const drawing = drawEmptyPane(1, many, 10, { columns: 20, rows: 8 }, now);
    const screen = rows(drawing.text);
    assert.ok(screen.length <= 8, `${screen.length} rows on an 8-row pane`);
    assert.ok(screen.every((row) => [...row].length <= 20), screen.join('|'));
    assert.ok(screen.some((row) => row.includes('agent-11')), 'the selected row is shown');
    assert.ok(!screen.some((row) => row.includes('agent-1 ')), 'the top of the list scrolled away');
  });

  it('says when there is nothing to list and still offers Create', () => {
    const drawing = drawEmptyPane(2, [], 0, { columns: 40, rows: 10 }, now);
    assert.equal(rows(drawing.text)[1], 'No sessions yet.');
    assert.deepEqual([...drawing.targets.values()], [{ kind: 'create' }]);
  });
});

describe('empty pane input', () => {
  it('reads a left click (SGR mouse report) as the row clicked, and ignores the release', () => {
    assert.deepEqual(readPaneInput('\x1b[<0;12;5M\x1b[<0;12;5m'), [{ kind: 'click', row: 4 }]);
  });

  it('reads arrows, vi keys, Enter, numbers, c and the wheel; other keys do nothing', () => {
    assert.deepEqual(readPaneInput('\x1b[A\x1b[Bjk\r7cx\x1b[<64;1;1M\x1b[<65;1;1M\x1b[3~'), [
      { kind: 'up' }, { kind: 'down' }, { kind: 'down' }, { kind: 'up' }, { kind: 'choose' },
      { kind: 'number', value: 7 }, { kind: 'create' }, { kind: 'scroll', by: -1 }, { kind: 'scroll', by: 1 },
    ]);
  });
});
