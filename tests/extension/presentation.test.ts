import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endOnce } from '../../extension/lifetime';
import {
  answerButtons,
  attentionBackground,
  answerFor,
  attentionEntryText,
  CoolDown,
  contextValue,
  describeSession,
  displayName,
  firstNeedingUser,
  formatAge,
  formatDuration,
  gridShape,
  notificationFor,
  scrollbackHeader,
  SeenLedger,
  type SeenStatuses,
  StableNumbers,
  terminalEntries,
  sessionCountText,
  sortSessions,
  terminalEntryText,
  tooltipMarkdown,
  treeIcon,
} from '../../extension/presentation';
import { sessionStatuses, type Session, type SessionStatus } from '../../extension/protocol';

const now = 1_800_000_000;

function session(name: string, status: SessionStatus = 'idle', extra: Partial<Session> = {}): Session {
  return {
    name,
    id: `$${name.length}`,
    windows: 1,
    attachedClients: 0,
    createdAt: now - 600,
    command: 'bash',
    cwd: '/home/me/project',
    status,
    statusSince: now - 5,
    ...extra,
  };
}

describe('formatAge', () => {
  it('uses the largest whole unit', () => {
    assert.deepEqual(
      [0.4, 1, 59, 60, 3599, 3600, 86399, 86400 * 3].map(formatAge),
      ['now', '1s', '59s', '1m', '59m', '1h', '23h', '3d'],
    );
  });

  it('never shows a negative age when clocks differ slightly', () => {
    assert.equal(formatAge(-2), 'now');
  });

  it('shows two units in durations', () => {
    assert.equal(formatDuration(192), '3m 12s');
    assert.equal(formatDuration(3900), '1h 5m');
  });
});

describe('describeSession', () => {
  it('reads status · age · command · windows', () => {
    assert.equal(describeSession(session('a', 'running', { command: 'claude', windows: 2 }), now), 'running · 5s · claude · 2 win');
  });

  it('says attached, and how many when more than one', () => {
    assert.equal(describeSession(session('a', 'idle', { attachedClients: 1 }), now), 'idle · 5s · bash · 1 win · attached');
    assert.equal(describeSession(session('a', 'idle', { attachedClients: 3 }), now), 'idle · 5s · bash · 1 win · 3 attached');
  });

  it('shows the exit code of an ended or failed program', () => {
    assert.equal(describeSession(session('a', 'error', { exitCode: 3, statusSince: now - 120 }), now), 'error (exit 3) · 2m · bash · 1 win');
  });
});

describe('displayName', () => {
  it('shows invisible, bidi and control characters as code points', () => {
    assert.equal(displayName('a\u200bb'), 'a<U+200B>b');
    assert.equal(displayName('evil\u202etxt'), 'evil<U+202E>txt');
    assert.equal(displayName('\u2066x\u2069\u200e\u061c'), '<U+2066>x<U+2069><U+200E><U+061C>');
    assert.equal(displayName('a\u0007b\nc\u2028'), 'a<U+0007>b<U+000A>c<U+2028>');
    assert.equal(displayName('flag\u{e0041}'), 'flag<U+E0041>');
    assert.equal(displayName('x\ud800'), 'x<U+D800>');
  });

  it('shows a name made only of spaces, or none at all, visibly', () => {
    assert.equal(displayName('  '), '<U+0020><U+0020>');
    assert.equal(displayName('\u00a0'), '<U+00A0>');
    assert.equal(displayName(''), '<empty>');
  });

  it('leaves ordinary names, spaces, unicode and emoji alone', () => {
    for (const name of ['coder-1', 'my agent', 'ünïcødé 🚀', '~user', 'x\ufe0f']) {
      assert.equal(displayName(name), name);
    }
  });

  it('is what the tree tooltip, the status bar and notifications show', () => {
    const hidden = session('a\u200bb', 'waiting');
    assert.ok(tooltipMarkdown(hidden, now).includes('a\\<U\\+200B\\>b'), tooltipMarkdown(hidden, now));
    assert.ok(terminalEntryText(1, 'a\u200bb', 'idle').endsWith(' a<U+200B>b'));
    assert.ok(notificationFor({ name: 'a\u200bb', id: '$1', previous: 'running', since: now, status: 'stuck' })?.message.startsWith("'a<U+200B>b'"));
  });
});

describe('tooltipMarkdown', () => {
  it('carries the waiting reason, the screen line and the exit code', () => {
    const text = tooltipMarkdown(session('coder', 'waiting', { reason: 'permission', detail: 'Do you want to proceed?' }), now);
    assert.match(text, /asks for permission/);
    assert.match(text, /`Do you want to proceed\?`/);
    assert.match(tooltipMarkdown(session('x', 'ended', { exitCode: 0 }), now), /Exit code: 0/);
  });

  it('escapes markdown in names so they render literally', () => {
    assert.match(tooltipMarkdown(session('*bold* [link](x)'), now), /\\\*bold\\\* \\\[link\\\]\\\(x\\\)/);
  });
});

describe('icons and menus', () => {
  it('gives every status its own codicon and a theme colour', () => {
    const expected: Record<SessionStatus, [string, string]> = {
      unknown: ['circle-outline', 'descriptionForeground'],
      running: ['loading~spin', 'charts.green'],
      idle: ['circle-outline', 'charts.blue'],
      waiting: ['bell', 'charts.yellow'],
      stuck: ['warning', 'charts.orange'],
      ended: ['pass', 'disabledForeground'],
      error: ['error', 'errorForeground'],
    };
    for (const status of sessionStatuses) {
      assert.deepEqual([treeIcon(status).id, treeIcon(status).color], expected[status], status);
    }
  });

  it('names the contextValue after the status so Respawn shows only for ended and error', () => {
    assert.equal(contextValue(session('a', 'ended')), 'session.ended');
    assert.equal(contextValue(session('a', 'running')), 'session.running');
    assert.equal(contextValue(session('a', 'error'), true), 'session.error.terminal', 'Detach shows where a terminal is open');
  });

  it('shows an ended or failed program\'s last lines in the tooltip', () => {
    const tooltip = tooltipMarkdown(session('a', 'error', { exitCode: 127, detail: 'sh: 1: claude: not found' }), now);
    assert.match(tooltip, /Last output:\n\n```text\n {2}sh: 1: claude: not found\n```/);
  });
});

describe('sortSessions', () => {
  const list = [
    session('b-idle', 'idle', { createdAt: 3 }),
    session('a-running', 'running', { createdAt: 1 }),
    session('c-waiting', 'waiting', { createdAt: 5 }),
    session('d-error', 'error', { createdAt: 2 }),
    session('e-stuck', 'stuck', { createdAt: 4 }),
    session('f-ended', 'ended', { createdAt: 0 }),
  ];

  it('puts sessions that need the user first when sorting by attention', () => {
    assert.deepEqual(
      sortSessions(list, 'attention').map((s) => s.name),
      ['c-waiting', 'e-stuck', 'd-error', 'a-running', 'b-idle', 'f-ended'],
    );
  });

  it('sorts by name with numbers in order', () => {
    const names = sortSessions([session('agent-10'), session('agent-2'), session('Agent-1')], 'name').map((s) => s.name);
    assert.deepEqual(names, ['Agent-1', 'agent-2', 'agent-10']);
  });

  it('sorts by creation time, oldest first', () => {
    assert.deepEqual(
      sortSessions(list, 'created').map((s) => s.name),
      ['f-ended', 'a-running', 'd-error', 'b-idle', 'e-stuck', 'c-waiting'],
    );
  });

  it('leaves the input list untouched', () => {
    const copy = [...list];
    sortSessions(list, 'name');
    assert.deepEqual(list, copy);
  });
});

describe('status bar text', () => {
  it('numbers terminals with a status icon', () => {
    assert.equal(terminalEntryText(1, 'coder-1', 'running'), '#1 $(circle-filled) coder-1');
    assert.equal(terminalEntryText(2, 'reviewer', 'waiting'), '#2 $(bell) reviewer');
    assert.equal(terminalEntryText(3, 'gone', undefined), '#3 $(circle-small) gone');
    assert.equal(terminalEntryText(4, 'watched', 'idle', true), '#4 $(eye) $(circle-outline) watched');
  });

  it('counts sessions in words', () => {
    assert.deepEqual([0, 1, 3].map(sessionCountText), ['0 sessions', '1 session', '3 sessions']);
  });

  it('shows the attention entry only while something waits, is stuck or failed, on the theme\'s colours', () => {
    assert.equal(attentionEntryText([session('a', 'running'), session('b', 'ended')]), undefined);
    assert.equal(attentionEntryText([session('a', 'waiting'), session('b', 'stuck'), session('c', 'waiting')]), '$(bell) 2 waiting, 1 stuck');
    assert.equal(attentionEntryText([session('a', 'running'), session('b', 'error')]), '$(error) 1 failed');
    assert.equal(attentionBackground([session('a', 'waiting')]), 'statusBarItem.warningBackground');
    assert.equal(attentionBackground([session('a', 'waiting'), session('b', 'error')]), 'statusBarItem.errorBackground');
  });

  it('reveals the first waiting session before a stuck one', () => {
    assert.equal(firstNeedingUser([session('s', 'stuck'), session('w', 'waiting')])?.name, 'w');
    assert.equal(firstNeedingUser([session('i', 'idle')]), undefined);
  });
});

describe('notificationFor', () => {
  const base = { name: 'coder', id: '$1', previous: 'running' as const, since: now };

  it('names the session and why it waits', () => {
    const text = notificationFor({ ...base, status: 'waiting', reason: 'permission', detail: ' Do you want to proceed? ' });
    assert.deepEqual(text, { severity: 'warning', message: "'coder' asks for permission: Do you want to proceed?" });
  });

  it('reports a failed program as an error with its exit code', () => {
    assert.deepEqual(notificationFor({ ...base, status: 'error', exitCode: 3 }), {
      severity: 'error',
      message: "'coder' exited with code 3. Respawn it, or attach to see its output.",
    });
  });

  it("reports an agent's failed turn, whose program still runs, with the error", () => {
    assert.deepEqual(notificationFor({ ...base, status: 'error', detail: 'API Error: 500 Internal server error' }), {
      severity: 'error',
      message: "'coder': the agent's turn failed: API Error: 500 Internal server error",
    });
  });

  it('says what a failed program printed last', () => {
    const text = notificationFor({ ...base, status: 'error', exitCode: 127, detail: 'starting\nbash: line 1: claude: command not found' });
    assert.equal(text?.message, "'coder' exited with code 127: starting ⏎ bash: line 1: claude: command not found. Respawn it, or attach to see its output.");
  });

  it('warns about a stuck session', () => {
    assert.equal(notificationFor({ ...base, status: 'stuck' })?.severity, 'warning');
  });

  it('stays quiet for running, idle and ended', () => {
    for (const status of ['running', 'idle', 'ended', 'unknown'] as const) {
      assert.equal(notificationFor({ ...base, status }), undefined, status);
    }
  });
});

describe('CoolDown', () => {
  it('allows one notification per session per period', () => {
    const coolDown = new CoolDown(30_000);
    assert.equal(coolDown.tryTake('a', 0), true);
    assert.equal(coolDown.tryTake('a', 29_999), false);
    assert.equal(coolDown.tryTake('b', 29_999), true);
    assert.equal(coolDown.tryTake('a', 30_000), true);
  });

});

describe('SeenLedger', () => {
  it('tells a restarted host rediscovering a waiting session from a new transition', () => {
    const ledger = new SeenLedger();
    assert.equal(ledger.isNews('s|$1', { status: 'waiting', since: now }), true, 'first sight');
    // The host restarts: it meets the session afresh, briefly running, then waiting since the same moment.
    assert.equal(ledger.isNews('s|$1', { status: 'running', since: now + 30 }), true);
    assert.equal(ledger.isNews('s|$1', { status: 'waiting', since: now }), true, 'a new status in between is news');
    const restarted = new SeenLedger(ledger.state);
    assert.equal(restarted.isNews('s|$1', { status: 'waiting', since: now + 1 }), false, 'host restart, same wait');
    assert.equal(restarted.isNews('s|$1', { status: 'waiting', since: now + 60 }), true, 'waits again later');
  });

  it('survives the window state round trip and keys by id, so a rename changes nothing', () => {
    const first = new SeenLedger();
    first.isNews('s|$4', { status: 'error', since: now });
    const reloaded = new SeenLedger(JSON.parse(JSON.stringify(first.state)) as SeenStatuses);
    assert.equal(reloaded.isNews('s|$4', { status: 'error', since: now }), false);
    assert.equal(reloaded.isNews('other-socket|$4', { status: 'error', since: now }), true);
  });

  it('counts an entry stored in the older shape as not seen', () => {
    const ledger = new SeenLedger({ 's|$1': 'waiting' } as unknown as SeenStatuses);
    assert.equal(ledger.isNews('s|$1', { status: 'waiting', since: now }), true);
  });

  it('forgets sessions that are gone', () => {
    const ledger = new SeenLedger({ 's|$1': { status: 'waiting', since: now }, 's|$2': { status: 'stuck', since: now } });
    ledger.retain(['s|$2']);
    assert.deepEqual(ledger.state, { 's|$2': { status: 'stuck', since: now } });
  });
});

describe('StableNumbers', () => {
  it('keeps numbers while terminals close, and gives a new one the smallest free number', () => {
    const numbers = new StableNumbers<string>();
    assert.deepEqual([...numbers.update(['a', 'b', 'c'])], [['a', 1], ['b', 2], ['c', 3]]);
    assert.deepEqual([...numbers.update(['a', 'c'])], [['a', 1], ['c', 3]], 'c stays #3 when b closes');
    assert.deepEqual(numbers.update(['a', 'c', 'd']).get('d'), 2);
  });
});

describe('terminalEntries', () => {
  const open = (n: number) => Array.from({ length: n }, (_, i) => ({ number: i + 1 }));

  it('shows at most four entries and puts the rest behind +N', () => {
    const { shown, more } = terminalEntries(open(9));
    assert.deepEqual(shown.map((t) => t.number), [1, 2, 3, 4]);
    assert.equal(more.length, 5);
  });

  it('shows a fifth entry rather than "+1"', () => {
    assert.deepEqual(terminalEntries(open(5)), { shown: open(5), more: [] });
  });
});

describe('scrollbackHeader', () => {
  it('says how many lines are shown of how many', () => {
    assert.equal(
      scrollbackHeader('big', { lineCount: 12000, totalLines: 12000, historyLimit: 50000 }, false),
      `── scrollback of 'big': all 12,000 lines; tmux keeps up to 50,000 lines of history. Refresh: "Plexus: Refresh Scrollback". ──`,
    );
    assert.match(scrollbackHeader('big', { lineCount: 1000, totalLines: 12000 }, true), /the last 1,000 of 12,000 lines — "Plexus: Show Scrollback" shows them all/);
  });
});

describe('endOnce', () => {
  it('stops once, whoever asks, and releases only after the stop finished', async () => {
    const events: string[] = [];
    let finish = () => {};
    const end = endOnce(
      () => new Promise<void>((resolve) => {
        events.push('stop');
        finish = resolve;
      }),
      () => events.push('release'),
    );
    const first = end();
    const second = end();
    assert.strictEqual(first, second);
    assert.deepEqual(events, ['stop'], 'nothing released while stopping');
    finish();
    await second;
    assert.deepEqual(events, ['stop', 'release']);
  });
});

describe('gridShape', () => {
  it('is as square as possible and caps at nine groups', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9, 20].map(gridShape), [
      { rows: 1, columns: 1 },
      { rows: 1, columns: 2 },
      { rows: 2, columns: 2 },
      { rows: 2, columns: 2 },
      { rows: 2, columns: 3 },
      { rows: 3, columns: 3 },
      { rows: 3, columns: 3 },
    ]);
  });
});

describe('answers from a notification', () => {
  const question = { question: 'Which color?', choices: [1, 2, 3, 4].map((number) => ({ number, label: `Color ${number}` })) };

  it('offers Allow and Deny for a permission prompt', () => {
    assert.deepEqual(answerButtons('permission', question), ['Allow', 'Deny']);
  });

  it("offers a question's first three choices, numbered as drawn", () => {
    assert.deepEqual(answerButtons('question', question), ['1. Color 1', '2. Color 2', '3. Color 3']);
  });

  it('offers nothing to answer when the screen shows no menu', () => {
    assert.deepEqual(answerButtons('input', undefined), []);
  });

  it('sends allow, deny or the number of the choice', () => {
    assert.deepEqual(['Allow', 'Deny', '2. Color 2', '10. Ten'].map(answerFor), ['allow', 'deny', '2', '10']);
  });
});
