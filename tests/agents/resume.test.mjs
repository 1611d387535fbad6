// After a reboot, the real Claude Code continues its own conversation: a Claude session created through Plexus
// answers a prompt (so a conversation exists), its tmux server is killed, a new host on the same socket and state
// folder lists the session as not running, and `sessions/restore` starts Claude again with `--resume <its id>`.
// Proved from Claude itself: its SessionStart hook (the pane option `@plexus_hook` Plexus's hooks set) says
// `source: "resume"` with the same session_id, and its screen shows the earlier conversation.
//   node --test tests/agents/resume.test.mjs     (needs ./plexus build and `npm ci` in tests/agents)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startMockModel } from './mockModel.mjs';
import { hostPath, startPlexus } from './plexusHost.mjs';
import { prepareAll } from './truth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const execFileAsync = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const missing = !existsSync(hostPath) ? `the host is not built at ${hostPath} — run ./plexus build first`
  : !existsSync(join(here, 'node_modules', '@anthropic-ai', 'claude-code-linux-x64', 'claude'))
    ? 'the real agents are not installed — run: cd tests/agents && npm ci --ignore-scripts --no-audit --no-fund' : '';
if (missing && process.env.PLEXUS_REQUIRE_HOST) throw new Error(`PLEXUS_REQUIRE_HOST is set but ${missing}`);

const NAME = 'resume-claude';
const COMMAND = 'claude --permission-mode default';
/** Claude Code at its empty input box. */
const atInput = (screen) => screen.includes('? for shortcuts') && !screen.includes('esc to interrupt');

/** SIGKILL every process whose session id is one of `sids`; resolves once none is left (or after 5 s). */
async function killPaneSessions(sids) {
  const end = Date.now() + 5000;
  for (;;) {
    const left = [];
    for (const sid of sids) {
      try {
        left.push(...(await execFileAsync('pgrep', ['-s', String(sid)])).stdout.split('\n').filter(Boolean).map(Number));
      } catch { /* pgrep exits 1 when nothing matches */ }
    }
    if (!left.length || Date.now() > end) return;
    for (const pid of left) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await sleep(100);
  }
}

/** The pane's screen and the last hook Plexus's hooks recorded on it, in one tmux call. */
async function view(plexus, pane) {
  const marker = '\u0001plexus-resume\u0001';
  const out = await plexus.tmux('capture-pane', '-p', '-t', pane, ';', 'display-message', '-p', '-t', pane, `${marker}#{@plexus_hook}`);
  const cut = out.lastIndexOf(marker);
  return { screen: out.slice(0, cut), hook: out.slice(cut + marker.length).replace(/\n$/, '') };
}

/** Polls every 50 ms; resolves with the first view that satisfies pred, or throws with the last screen. */
async function until(plexus, pane, pred, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last = { screen: '', hook: '' };
  for (;;) {
    try { last = await view(plexus, pane); } catch { /* the pane is not there yet */ }
    if (pred(last)) return last;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; screen:\n${last.screen}`);
    await sleep(50);
  }
}

test('Restoring a Claude Code session resumes its own conversation (SessionStart source "resume", same session_id)',
  { skip: missing || false, timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'plexus-resume-'));
    const mock = await startMockModel();
    const prepared = prepareAll(['claude'], mock.url, root);
    const run = prepared.runs.claude;
    const pids = new Set();
    let first;
    let second;
    const paneOf = async (plexus, id) => {
      const [pane, pid] = (await plexus.tmux('display-message', '-p', '-t', id, '#{pane_id}\t#{pane_pid}')).trim().split('\t');
      if (Number(pid)) pids.add(Number(pid));
      return pane;
    };
    try {
      // A conversation: Claude through Plexus, one prompt answered.
      first = await startPlexus({ env: prepared.env, workDir: root, idleAfterSeconds: 3 });
      const created = await first.client.createSession({ name: NAME, command: COMMAND, cwd: run.cwd, width: 120, height: 40 });
      let pane = await paneOf(first, created.id);
      await until(first, pane, (v) => atInput(v.screen), 45_000, 'Claude at its input');
      mock.push(run.api, { kind: 'text', text: 'The secret word is pineapple.' });
      await first.tmux('send-keys', '-t', pane, '-l', 'Remember the secret word');
      await sleep(300);
      await first.tmux('send-keys', '-t', pane, 'Enter');
      await until(first, pane, (v) => v.screen.includes('pineapple') && atInput(v.screen), 30_000, 'the answer');
      const known = await first.waitForReport(NAME, (r) => Boolean(r.agentSessionId), 0, Date.now() + 10_000);
      assert.ok(known, 'Plexus reported the conversation id of the first Claude');
      const conversation = known.agentSessionId;

      // The "reboot": the tmux server goes, and so does the host.
      const { socket } = first;
      await first.tmux('kill-server');
      await first.stop();
      first = undefined;

      // A new host on the same server and state folder: the session is remembered, not running, with its id.
      second = await startPlexus({ env: prepared.env, workDir: root, idleAfterSeconds: 3, socket });
      const record = (await second.client.notRunning()).find((r) => r.name === NAME);
      assert.ok(record, `${NAME} is listed as not running`);
      assert.equal(record.agentSessionId, conversation, 'the record keeps the conversation id');

      // Restore: Claude starts again with --resume and its own id.
      const restored = await second.client.restoreSession(NAME);
      pane = await paneOf(second, restored.id);
      const resumed = await until(second, pane, (v) => /^claude SessionStart /.test(v.hook), 45_000, 'the SessionStart hook');
      const payload = resumed.hook.slice('claude SessionStart '.length);
      if (process.env.PLEXUS_TEST_VERBOSE) console.log(payload);
      assert.match(payload, /"source":\s*"resume"/, `SessionStart says it resumed: ${payload}`);
      assert.equal(payload.match(/"session_id":\s*"([^"]+)"/)?.[1], conversation, 'the same conversation id');
      const shown = await until(second, pane, (v) => v.screen.includes('pineapple') && atInput(v.screen), 30_000, 'the earlier conversation on screen');
      if (process.env.PLEXUS_TEST_VERBOSE) console.log(shown.screen);
      assert.match(shown.screen, /Remember the secret word/, 'the earlier prompt is on screen');
      const reported = await second.waitForReport(NAME, (r) => r.agentSessionId === conversation, 0, Date.now() + 10_000);
      assert.ok(reported, 'the restored session reports the same agentSessionId');
    } finally {
      if (first) await first.stop().catch(() => undefined);
      if (second) await second.stop().catch(() => undefined);
      await mock.close();
      // Anything the tmux server's SIGHUP left alive goes too: every process of each pane's own session (tmux starts a
      // pane's program with setsid, so its pid is the session id; Claude's helpers stay in it), waited for, so none
      // writes into the folders removed next.
      await killPaneSessions(pids);
      const gone = { recursive: true, force: true, maxRetries: 20, retryDelay: 100 };
      rmSync(run.root, gone);
      rmSync(root, gone);
      rmSync(prepared.env.XDG_STATE_HOME, gone);
    }
  });
