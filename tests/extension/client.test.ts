// The client module against the real host over stdio, on a private tmux server (-L plexus-ts-test-<random>)
// that teardown kills. Never the default server. Waits are event-driven with deadlines, never bare sleeps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { errorCode, spawnHost, type HostProcess } from '../../extension/client';
import { ErrorCodes, type Session, type StatusChangedParams } from '../../extension/protocol';

// out/ts-tests/client/client.test.js → the repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const hostPath = process.env.PLEXUS_HOST_PATH ?? path.join(repoRoot, 'out', 'server', 'plexus-host');
const skip = existsSync(hostPath)
  ? false
  : `the host is not built at ${hostPath} — run ./plexus build first`;
if (skip && process.env.PLEXUS_REQUIRE_HOST) {
  // CI sets this: a missing host must fail the run, not pass it quietly.
  throw new Error(`PLEXUS_REQUIRE_HOST is set but ${skip}`);
}
if (skip) {
  console.warn(`SKIPPING client tests: ${skip}`);
}

const deadlineMs = 5_000;

describe('PlexusClient against the real host', { skip }, () => {
  const socket = `plexus-ts-test-${randomBytes(4).toString('hex')}`;
  const workDir = mkdtempSync(path.join(tmpdir(), 'plexus-ts-test-'));
  let host: HostProcess;
  let hostExit: Promise<number | null>;
  let latest: Session[] = [];
  const sessionWaiters = new Set<() => void>();
  const statusChanges: StatusChangedParams[] = [];
  const statusWaiters = new Set<() => void>();
  let stderr = '';

  const client = () => host.client;

  /** Resolves with the latest `sessions/changed` list once it satisfies `predicate`; fails after the deadline. */
  function waitForSessions(description: string, predicate: (sessions: Session[]) => boolean, timeoutMs = deadlineMs): Promise<Session[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate(latest)) {
          clearTimeout(timer);
          sessionWaiters.delete(check);
          resolve(latest);
        }
      };
      const timer = setTimeout(() => {
        sessionWaiters.delete(check);
        reject(new Error(`no sessions/changed within ${timeoutMs} ms where ${description}; last: ${JSON.stringify(latest)}`));
      }, timeoutMs);
      sessionWaiters.add(check);
      check();
    });
  }

  function waitForStatus(description: string, predicate: (change: StatusChangedParams) => boolean, timeoutMs = deadlineMs): Promise<StatusChangedParams> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = statusChanges.find(predicate);
        if (found) {
          clearTimeout(timer);
          statusWaiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        statusWaiters.delete(check);
        reject(new Error(`no session/statusChanged within ${timeoutMs} ms where ${description}; seen: ${JSON.stringify(statusChanges)}`));
      }, timeoutMs);
      statusWaiters.add(check);
      check();
    });
  }

  /** Retries `probe` until it returns true; for state only a request can show (scrollback). */
  async function eventually(description: string, probe: () => Promise<boolean>, timeoutMs = deadlineMs): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await probe()) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`not true within ${timeoutMs} ms: ${description}`);
  }

  async function rejectsWith(promise: Promise<unknown>, code: number): Promise<void> {
    await assert.rejects(promise, (error: unknown) => {
      assert.equal(errorCode(error), code, `expected error code ${code}, got ${String(error)}`);
      return true;
    });
  }

  const names = (sessions: Session[]) => sessions.map((s) => s.name);
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  before(() => {
    host = spawnHost({ hostPath, tmuxSocketName: socket, cwd: workDir });
    hostExit = new Promise((resolve) => host.child.once('exit', (code) => resolve(code)));
    host.child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    host.client.onSessionsChanged(({ sessions }) => {
      latest = sessions;
      sessionWaiters.forEach((check) => check());
    });
    host.client.onStatusChanged((change) => {
      statusChanges.push(change);
      statusWaiters.forEach((check) => check());
    });
  });

  after(async () => {
    if (host && host.child.exitCode === null) {
      host.child.kill('SIGKILL');
      await hostExit;
    }
    host?.client.dispose();
    try {
      tmux('kill-server');
    } catch {
      // no server left: nothing to clean
    }
    rmSync(workDir, { recursive: true, force: true });
    if (process.env.PLEXUS_TEST_VERBOSE) {
      console.log(stderr);
    }
  });

  it('initialize reports protocol 1, the tmux version, and no server on a fresh socket', async () => {
    const info = await client().initialize('plexus-ts-test', { idleAfterSeconds: 1, stuckAfterSeconds: 10 });
    assert.equal(info.protocolVersion, 1);
    assert.equal(typeof info.serverVersion, 'string');
    assert.match(info.tmuxVersion ?? '', /\d/);
    assert.equal(info.serverRunning, false);
    assert.ok(info.socketPath.endsWith(`/${socket}`), info.socketPath);
  });

  it('lists no sessions before any exists', async () => {
    assert.deepEqual(await client().listSessions(), []);
  });

  it('creates a session, which list and sessions/changed then report', async () => {
    const created = await client().createSession({ name: 'coder', cwd: workDir, width: 120, height: 40 });
    assert.equal(created.name, 'coder');
    assert.match(created.id, /^\$\d+$/);
    assert.equal(created.windows, 1);
    assert.equal(created.cwd, workDir);
    await waitForSessions('coder appears', (s) => names(s).includes('coder'));
    assert.deepEqual(names(await client().listSessions()), ['coder']);
  });

  it('sendText types into the session and scrollback shows what it did', async () => {
    await client().sendText('coder', 'echo plexus-$((6*7))', true);
    await eventually('the shell printed plexus-42', async () => {
      const { text } = await client().scrollback('coder');
      return text.split('\n').some((line) => line.trim() === 'plexus-42');
    });
    const { text, lineCount } = await client().scrollback('coder', 1);
    assert.equal(lineCount, 1);
    assert.equal(text.split('\n').length, 1);
  });

  it('sendText without enter types the text literally and runs nothing', async () => {
    const marker = path.join(workDir, 'injected');
    await client().sendText('coder', `x; touch ${marker} $(touch ${marker}) \`touch ${marker}\``);
    await eventually('the typed text is on screen', async () => (await client().scrollback('coder')).text.includes('x; touch'));
    assert.equal(existsSync(marker), false);
    await client().sendText('coder', '\u0003'); // Ctrl-C clears the half-typed line
  });

  it('attachCommand returns an executable, its arguments, and TMUX cleared', async () => {
    const command = await client().attachCommand('coder');
    assert.ok(path.isAbsolute(command.file), command.file);
    accessSync(command.file, constants.X_OK);
    assert.ok(command.args.some((arg) => arg.includes('coder')), JSON.stringify(command.args));
    assert.equal(command.env.TMUX, '');
    const readOnly = await client().attachCommand('coder', true);
    assert.notDeepEqual(readOnly.args, command.args);
  });

  it('rejects invalid names with InvalidName and creates nothing', async () => {
    for (const name of ['', 'a.b', 'a:b', 'a\nb', 'x'.repeat(129)]) {
      await rejectsWith(client().createSession({ name }), ErrorCodes.InvalidName);
    }
    assert.deepEqual(names(await client().listSessions()), ['coder']);
  });

  it('rejects a name that is taken with SessionExists', async () => {
    await rejectsWith(client().createSession({ name: 'coder' }), ErrorCodes.SessionExists);
  });

  it('rejects requests for a missing session with SessionNotFound, prefixes included', async () => {
    await rejectsWith(client().killSession('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client().killSession('code'), ErrorCodes.SessionNotFound);
    await rejectsWith(client().sendText('nope', 'x'), ErrorCodes.SessionNotFound);
    await rejectsWith(client().scrollback('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client().attachCommand('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client().renameSession('nope', 'other'), ErrorCodes.SessionNotFound);
  });

  it('renames a session, and sessions/changed follows', async () => {
    await client().createSession({ name: 'coder-1', command: 'sleep 600' });
    const renamed = await client().renameSession('coder-1', 'reviewer');
    assert.equal(renamed.name, 'reviewer');
    await waitForSessions('coder-1 became reviewer', (s) => names(s).includes('reviewer') && !names(s).includes('coder-1'));
    await rejectsWith(client().renameSession('reviewer', 'coder'), ErrorCodes.SessionExists);
    await rejectsWith(client().renameSession('reviewer', 'bad:name'), ErrorCodes.InvalidName);
  });

  it('kills exactly the named session, never one it prefixes', async () => {
    await client().createSession({ name: 'kill-me' });
    await client().createSession({ name: 'kill-me-too' });
    await waitForSessions('both exist', (s) => names(s).includes('kill-me') && names(s).includes('kill-me-too'));
    await client().killSession('kill-me');
    const after = await waitForSessions('kill-me is gone', (s) => !names(s).includes('kill-me'));
    assert.ok(names(after).includes('kill-me-too'));
    assert.ok(names(await client().listSessions()).includes('kill-me-too'));
  });

  it('reports a session created outside Plexus, odd name included', async () => {
    tmux('new-session', '-d', '-s', 'outside #1 ünï', 'sleep 600');
    await waitForSessions('the outside session appears', (s) => names(s).includes('outside #1 ünï'), 2_000);
  });

  it('reports a failed program with its exit code, refuses to respawn a running one, and respawns an exited one', async () => {
    await client().createSession({ name: 'short', command: 'sleep 0.3; exit 3' });
    const change = await waitForStatus('short failed', (c) => c.name === 'short' && c.status === 'error');
    assert.equal(change.exitCode, 3);
    const listed = (await client().listSessions()).find((s) => s.name === 'short');
    assert.equal(listed?.status, 'error');
    assert.equal(listed?.exitCode, 3);

    await rejectsWith(client().respawnSession('reviewer'), ErrorCodes.SessionStillRunning);
    const respawned = await client().respawnSession('short', 'sleep 600');
    assert.equal(respawned.name, 'short');
    await waitForSessions('short runs again', (s) => {
      const short = s.find((x) => x.name === 'short');
      return short !== undefined && short.status !== 'error' && short.status !== 'ended';
    });
  });

  it('accepts settings/update and keeps answering', async () => {
    await client().updateSettings({ idleAfterSeconds: 2, stuckAfterSeconds: 30 });
    assert.ok((await client().listSessions()).length > 0);
  });

  it('shuts down cleanly with code 0 and leaves the tmux server and its sessions running', async () => {
    await client().shutdown();
    const code = await Promise.race([hostExit, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), deadlineMs))]);
    assert.equal(code, 0);
    const remaining = tmux('list-sessions', '-F', '#{session_name}').trim().split('\n');
    assert.ok(remaining.includes('coder') && remaining.includes('reviewer'), remaining.join(','));
    // the host's control client detached: only sessions remain, no clients
    assert.equal(tmux('list-clients', '-F', '#{client_name}').trim(), '');
  });
});
