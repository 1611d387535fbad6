// The real Plexus host for the truth table: out/server/plexus-host over stdio, driven through the extension's own
// client (extension/client.ts, bundled on the fly with the repository's esbuild), on a private tmux server whose
// socket lives in a throw-away TMUX_TMPDIR. Every report the host makes about a session is kept on a timeline
// with the time it arrived, so the truth table can ask "what did Plexus say, and when".
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
export const hostPath = process.env.PLEXUS_HOST_PATH || join(repoRoot, 'out', 'server', 'plexus-host');
const execFileAsync = promisify(execFile);

/** extension/client.ts as a CommonJS module (esbuild from the root node_modules, as scripts/build.mjs uses it). */
async function loadClientModule(outDir) {
  const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
  const outfile = join(outDir, 'client.cjs');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'extension', 'client.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error',
  });
  return createRequire(import.meta.url)(outfile);
}

/**
 * @typedef {{ at: number, source: 'sessions/changed' | 'session/statusChanged', status: string, reason?: string,
 *   detail?: string, agent?: string, agentSessionId?: string, exitCode?: number }} Report
 */

/**
 * Start the host. `env` is the whole environment of the host (and so of the tmux server it starts, and of every
 * agent in it). `workDir` is a throw-away folder: the tmux socket lives in `workDir/tmux`. `socket`: the tmux socket
 * name of an earlier host with the same `workDir` (a host started again on the same server); default a new one.
 * @param {{ env: Record<string, string>, workDir: string, idleAfterSeconds: number, socket?: string }} o
 */
export async function startPlexus({ env, workDir, idleAfterSeconds, socket = `plexus-truth-${randomBytes(4).toString('hex')}` }) {
  const tmuxTmpDir = join(workDir, 'tmux');
  mkdirSync(tmuxTmpDir, { recursive: true });
  const hostEnv = { ...env, TMUX_TMPDIR: tmuxTmpDir };
  delete hostEnv.TMUX;
  delete hostEnv.TMUX_PANE;
  const { spawnHost } = await loadClientModule(workDir);
  const { child, client } = spawnHost({ hostPath, tmuxSocketName: socket, cwd: workDir, env: hostEnv });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk.toString()).slice(-20_000); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  /** @type {Map<string, Report[]>} reports per session name, in arrival order */
  const timelines = new Map();
  const waiters = new Set();
  const push = (name, report) => {
    const line = timelines.get(name) ?? [];
    const last = line.at(-1);
    const same = last && last.status === report.status && last.reason === report.reason && last.detail === report.detail
      && last.agent === report.agent && last.agentSessionId === report.agentSessionId && last.exitCode === report.exitCode;
    if (!same) line.push(report);
    timelines.set(name, line);
    for (const wake of waiters) wake();
  };
  client.onSessionsChanged(({ sessions }) => {
    const at = Date.now();
    const present = new Set(sessions.map((s) => s.name));
    for (const s of sessions) {
      push(s.name, { at, source: 'sessions/changed', status: s.status, reason: s.reason, detail: s.detail, agent: s.agent,
        agentSessionId: s.agentSessionId, exitCode: s.exitCode });
    }
    // A session that left the list (killed) is reported as the pseudo-status "gone".
    for (const [name, line] of timelines) {
      if (!present.has(name) && line.at(-1)?.status !== 'gone') push(name, { at, source: 'sessions/changed', status: 'gone' });
    }
  });
  client.onStatusChanged((change) => {
    const line = timelines.get(change.name) ?? [];
    const last = line.at(-1);
    push(change.name, { at: Date.now(), source: 'session/statusChanged', status: change.status, reason: change.reason,
      detail: change.detail, agent: last?.agent, agentSessionId: last?.agentSessionId, exitCode: change.exitCode });
  });

  const info = await client.initialize('plexus-truth-table', { idleAfterSeconds });

  /** Run one tmux command on the host's private server; arguments as a list. */
  const tmux = async (...args) => (await execFileAsync('tmux', ['-u', '-L', socket, ...args], {
    env: { ...process.env, TMUX: '', TMUX_PANE: '', TMUX_TMPDIR: tmuxTmpDir }, maxBuffer: 4 << 20,
  })).stdout;

  return {
    client, child, socket, info, timelines, tmux,
    stderr: () => stderr,
    /** The reports about `name` so far. @returns {Report[]} */
    reports: (name) => timelines.get(name) ?? [],
    /** Resolves with the first report about `name` at or after `since` that satisfies `pred`, or null at `deadline`. */
    async waitForReport(name, pred, since, deadline) {
      for (;;) {
        const hit = (timelines.get(name) ?? []).find((r) => r.at >= since && pred(r));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise((resolve) => {
          const wake = () => { waiters.delete(wake); clearTimeout(timer); resolve(); };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    /** Stop the host (shutdown, then SIGKILL if it lingers), kill the private tmux server, remove its socket. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const polite = client.shutdown().catch(() => undefined);
        const timeout = new Promise((resolve) => setTimeout(resolve, 3000));
        await Promise.race([polite.then(() => exited), timeout]);
        if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited; }
      }
      client.dispose();
      try { await tmux('kill-server'); } catch { /* no server left */ }
      // tmux 3.3a leaves the socket file behind after kill-server.
      const socketFile = join(tmuxTmpDir, `tmux-${process.getuid?.() ?? 0}`, socket);
      if (existsSync(socketFile)) rmSync(socketFile, { force: true });
    },
  };
}
