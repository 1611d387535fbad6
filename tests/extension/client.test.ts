// The client module against the real host over stdio. Every test starts its own host on its own private tmux
// server (-L plexus-ts-test-<random>) and kills both when it ends, so tests neither share state nor depend on
// order. Never the default server. Waits are event-driven with deadlines, never bare sleeps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { errorCode, spawnHost, type HostProcess, type PlexusClient } from '../../extension/client';
import { ErrorCodes, type Session, type StatusChangedParams } from '../../extension/protocol';

// out/ts-tests/client/client.test.js → the repository root
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const hostPath = process.env.PLEXUS_HOST_PATH || path.join(repoRoot, 'out', 'server', 'plexus-host');
const skip = existsSync(hostPath) ? false : `the host is not built at ${hostPath} — run ./plexus build first`;
if (skip && process.env.PLEXUS_REQUIRE_HOST) {
  // CI sets this: a missing host must fail the run, not pass it quietly.
  throw new Error(`PLEXUS_REQUIRE_HOST is set but ${skip}`);
}
if (skip) {
  console.warn(`SKIPPING client tests: ${skip}`);
}

const deadlineMs = 5_000;

interface RunningHost {
  host: HostProcess;
  client: PlexusClient;
  socket: string;
  workDir: string;
  exit: Promise<number | null>;
  /** Resolves with the latest `sessions/changed` list once it satisfies `predicate`; fails after the deadline. */
  waitForSessions: (description: string, predicate: (sessions: Session[]) => boolean, timeoutMs?: number) => Promise<Session[]>;
  /** Resolves with the first `session/statusChanged` that satisfies `predicate`; fails after the deadline. */
  waitForStatus: (description: string, predicate: (change: StatusChangedParams) => boolean, timeoutMs?: number) => Promise<StatusChangedParams>;
  tmux: (...args: string[]) => string;
}

/** Starts a host on a fresh tmux socket and work directory, initialized unless told not to; the test's end stops both. */
async function startHost(t: TestContext, { initialize = true } = {}): Promise<RunningHost> {
  const socket = `plexus-ts-test-${randomBytes(4).toString('hex')}`;
  const workDir = mkdtempSync(path.join(tmpdir(), 'plexus-ts-test-'));
  const host = spawnHost({ hostPath, tmuxSocketName: socket, cwd: workDir });
  const exit = new Promise<number | null>((resolve) => host.child.once('exit', (code) => resolve(code)));
  let stderr = '';
  host.child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const tmux = (...args: string[]) => execFileSync('tmux', ['-u', '-L', socket, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  t.after(async () => {
    if (host.child.exitCode === null && host.child.signalCode === null) {
      host.child.kill('SIGKILL');
      await exit;
    }
    host.client.dispose();
    try {
      tmux('kill-server');
    } catch {
      // no server left: nothing to clean
    }
    // tmux 3.3a leaves the socket file behind after kill-server.
    rmSync(path.join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
    rmSync(workDir, { recursive: true, force: true });
    if (process.env.PLEXUS_TEST_VERBOSE) {
      console.log(stderr);
    }
  });

  let latest: Session[] = [];
  const sessionWaiters = new Set<() => void>();
  const statusChanges: StatusChangedParams[] = [];
  const statusWaiters = new Set<() => void>();
  host.client.onSessionsChanged(({ sessions }) => {
    latest = sessions;
    sessionWaiters.forEach((check) => check());
  });
  host.client.onStatusChanged((change) => {
    statusChanges.push(change);
    statusWaiters.forEach((check) => check());
  });

  function waitFor<T>(waiters: Set<() => void>, find: () => T | undefined, failure: () => string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  if (initialize) {
    await host.client.initialize('plexus-ts-test', { idleAfterSeconds: 1, stuckAfterSeconds: 10 });
  }
  return {
    host,
    client: host.client,
    socket,
    workDir,
    exit,
    tmux,
    waitForSessions: (description, predicate, timeoutMs = deadlineMs) =>
      waitFor(
        sessionWaiters,
        () => (predicate(latest) ? latest : undefined),
        () => `no sessions/changed within ${timeoutMs} ms where ${description}; last: ${JSON.stringify(latest)}`,
        timeoutMs,
      ),
    waitForStatus: (description, predicate, timeoutMs = deadlineMs) =>
      waitFor(
        statusWaiters,
        () => statusChanges.find(predicate),
        () => `no session/statusChanged within ${timeoutMs} ms where ${description}; seen: ${JSON.stringify(statusChanges)}`,
        timeoutMs,
      ),
  };
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

/** A shell with a known prompt and no rc files, so a test can see when it reads input. */
const promptedShell = "PS1='ready> ' exec bash --norc --noprofile";

/** Waits for the prompt of `promptedShell`: input typed while a shell still starts may be lost. */
async function shellReady(client: PlexusClient, name: string): Promise<void> {
  await eventually(`the shell in ${name} drew its prompt`, async () => (await client.scrollback(name)).text.includes('ready>'));
}

async function rejectsWith(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(errorCode(error), code, `expected error code ${code}, got ${String(error)}`);
    return true;
  });
}

const names = (sessions: Session[]) => sessions.map((s) => s.name);

describe('PlexusClient against the real host', { skip }, () => {
  it('initialize reports protocol 1, the tmux version, and no server on a fresh socket', async (t) => {
    const { client, socket } = await startHost(t, { initialize: false });

    const info = await client.initialize('plexus-ts-test', { idleAfterSeconds: 1, stuckAfterSeconds: 10 });

    assert.equal(info.protocolVersion, 1);
    assert.equal(typeof info.serverVersion, 'string');
    assert.match(info.tmuxVersion ?? '', /\d/);
    assert.equal(info.serverRunning, false);
    assert.ok(info.socketPath.endsWith(`/${socket}`), info.socketPath);
  });

  it('runs the host without the .NET diagnostics socket', async (t) => {
    const { host } = await startHost(t);
    const pid = host.child.pid ?? assert.fail('the host has no pid');

    const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const socketDir = process.env.TMPDIR ?? '/tmp';
    // .NET names the socket after the pid and the process's start time (field 22 of /proc/<pid>/stat), so a socket
    // left by an earlier process with the same pid is not this host's.
    const startTime = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    const sockets = readdirSync(socketDir).filter((file) => file === `dotnet-diagnostic-${pid}-${startTime}-socket`);

    assert.ok(environment.includes('DOTNET_EnableDiagnostics=0'), 'DOTNET_EnableDiagnostics=0 is not in the host environment');
    assert.deepEqual(sockets, []);
  });

  it('lists no sessions before any exists', async (t) => {
    const { client } = await startHost(t);

    assert.deepEqual(await client.listSessions(), []);
  });

  it('creates a session, which list and sessions/changed then report', async (t) => {
    const { client, workDir, waitForSessions } = await startHost(t);

    const created = await client.createSession({ name: 'created', cwd: workDir, width: 120, height: 40 });

    assert.equal(created.name, 'created');
    assert.match(created.id, /^\$\d+$/);
    assert.equal(created.windows, 1);
    assert.equal(created.cwd, workDir);
    await waitForSessions('created appears', (s) => names(s).includes('created'));
    assert.deepEqual(names(await client.listSessions()), ['created']);
  });

  it('sendText types into the session and scrollback shows what it did', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'typed-into', command: promptedShell });
    await shellReady(client, 'typed-into');

    await client.sendText('typed-into', 'echo plexus-$((6*7))', true);

    await eventually('the shell printed plexus-42', async () => {
      const { text } = await client.scrollback('typed-into');
      return text.split('\n').some((line) => line.trim() === 'plexus-42');
    });
    const { text, lineCount } = await client.scrollback('typed-into', 1);
    assert.equal(lineCount, 1);
    assert.equal(text.split('\n').length, 1);
  });

  it('sendText without enter types the text literally and runs nothing', async (t) => {
    const { client, workDir } = await startHost(t);
    await client.createSession({ name: 'typed-literally', command: promptedShell });
    await shellReady(client, 'typed-literally');
    const marker = path.join(workDir, 'injected');

    await client.sendText('typed-literally', `x; touch ${marker} $(touch ${marker}) \`touch ${marker}\``);

    await eventually('the typed text is on screen', async () => (await client.scrollback('typed-literally')).text.includes('x; touch'));
    assert.equal(existsSync(marker), false);
  });

  it('attachCommand returns an executable, its arguments, and TMUX cleared', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'attach-target' });

    const command = await client.attachCommand('attach-target');
    const readOnly = await client.attachCommand('attach-target', true);

    assert.ok(path.isAbsolute(command.file), command.file);
    accessSync(command.file, constants.X_OK);
    assert.ok(command.args.some((arg) => arg.includes('attach-target')), JSON.stringify(command.args));
    assert.equal(command.env.TMUX, '');
    assert.notDeepEqual(readOnly.args, command.args);
  });

  it('rejects invalid names with InvalidName and creates nothing', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'valid-one' });

    for (const name of ['', 'a.b', 'a:b', 'a\nb', 'x'.repeat(129), '   ', 'a\u200bb', 'a\u202eb']) {
      await rejectsWith(client.createSession({ name }), ErrorCodes.InvalidName);
    }

    assert.deepEqual(names(await client.listSessions()), ['valid-one']);
  });

  it('rejects a name that is taken with SessionExists', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'taken' });

    await rejectsWith(client.createSession({ name: 'taken' }), ErrorCodes.SessionExists);
  });

  it('rejects requests for a missing session with SessionNotFound, prefixes included', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'prefixed' });

    await rejectsWith(client.killSession('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client.killSession('prefix'), ErrorCodes.SessionNotFound);
    await rejectsWith(client.sendText('nope', 'x'), ErrorCodes.SessionNotFound);
    await rejectsWith(client.scrollback('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client.attachCommand('nope'), ErrorCodes.SessionNotFound);
    await rejectsWith(client.renameSession('nope', 'other'), ErrorCodes.SessionNotFound);
  });

  it('renames a session, and sessions/changed follows', async (t) => {
    const { client, waitForSessions } = await startHost(t);
    await client.createSession({ name: 'rename-me', command: 'sleep 600' });
    await client.createSession({ name: 'rename-other', command: 'sleep 600' });

    const renamed = await client.renameSession('rename-me', 'renamed');

    assert.equal(renamed.name, 'renamed');
    await waitForSessions('rename-me became renamed', (s) => names(s).includes('renamed') && !names(s).includes('rename-me'));
    await rejectsWith(client.renameSession('renamed', 'rename-other'), ErrorCodes.SessionExists);
    await rejectsWith(client.renameSession('renamed', 'bad:name'), ErrorCodes.InvalidName);
  });

  it('kills exactly the named session, never one it prefixes', async (t) => {
    const { client, waitForSessions } = await startHost(t);
    await client.createSession({ name: 'kill-me' });
    await client.createSession({ name: 'kill-me-too' });
    await waitForSessions('both exist', (s) => names(s).includes('kill-me') && names(s).includes('kill-me-too'));

    await client.killSession('kill-me');

    const after = await waitForSessions('kill-me is gone', (s) => !names(s).includes('kill-me'));
    assert.ok(names(after).includes('kill-me-too'));
    assert.ok(names(await client.listSessions()).includes('kill-me-too'));
  });

  it('reports a session created outside Plexus, odd name included', async (t) => {
    const { tmux, waitForSessions } = await startHost(t);

    tmux('new-session', '-d', '-s', 'outside #1 ünï', 'sleep 600');

    await waitForSessions('the outside session appears', (s) => names(s).includes('outside #1 ünï'), 2_000);
  });

  it('reports a failed program with its exit code, refuses to respawn a running one, and respawns an exited one', async (t) => {
    const { client, waitForStatus, waitForSessions } = await startHost(t);
    await client.createSession({ name: 'still-running', command: 'sleep 600' });
    await client.createSession({ name: 'fails', command: 'sleep 0.3; exit 3' });

    const change = await waitForStatus('fails failed', (c) => c.name === 'fails' && c.status === 'error');

    assert.equal(change.exitCode, 3);
    const listed = (await client.listSessions()).find((s) => s.name === 'fails');
    assert.equal(listed?.status, 'error');
    assert.equal(listed?.exitCode, 3);
    await rejectsWith(client.respawnSession('still-running'), ErrorCodes.SessionStillRunning);
    const respawned = await client.respawnSession('fails', 'sleep 600');
    assert.equal(respawned.name, 'fails');
    await waitForSessions('fails runs again', (s) => {
      const fails = s.find((x) => x.name === 'fails');
      return fails !== undefined && fails.status !== 'error' && fails.status !== 'ended';
    });
  });

  it('accepts settings/update and keeps answering', async (t) => {
    const { client } = await startHost(t);
    await client.createSession({ name: 'after-settings' });

    await client.updateSettings({ idleAfterSeconds: 2, stuckAfterSeconds: 30 });

    assert.deepEqual(names(await client.listSessions()), ['after-settings']);
  });

  it('shuts down cleanly with code 0 and leaves the tmux server and its sessions running', async (t) => {
    const { client, exit, tmux } = await startHost(t);
    await client.createSession({ name: 'outlives-host', command: 'sleep 600' });

    await client.shutdown();

    const code = await Promise.race([exit, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), deadlineMs))]);
    assert.equal(code, 0);
    assert.deepEqual(tmux('list-sessions', '-F', '#{session_name}').trim().split('\n'), ['outlives-host']);
    // the host's control client detached: only sessions remain, no clients
    assert.equal(tmux('list-clients', '-F', '#{client_name}').trim(), '');
  });
});
