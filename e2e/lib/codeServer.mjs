// code-server (VS Code 1.100 in the browser, from npm) as a child process: a throw-away profile,
// the extension installed into a throw-away extensions dir, a free loopback port, no auth.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { waitFor, waitForExit } from './wait.mjs';

const execFileAsync = promisify(execFile);

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(E2E_DIR, '..');
export const CODE_SERVER_ENTRY = path.join(E2E_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Settings every e2e profile gets: nothing that covers the window or phones home. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'terminal.integrated.gpuAcceleration': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'terminal.integrated.enablePersistentSessions': false,
  'window.restoreWindows': 'none',
  // Plain terminals start bash without the machine's rc files: a profile's own work (here a pyenv rehash waiting
  // up to 60 s on a lock file some killed shell left behind) must not decide whether a test sees its output.
  'terminal.integrated.profiles.linux': { 'e2e-bash': { path: '/bin/bash', args: ['--norc', '--noprofile'] } },
  'terminal.integrated.defaultProfile.linux': 'e2e-bash',
};

/**
 * A free TCP port on 127.0.0.1 (asked from the kernel, then released for code-server).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Writes the profile's settings. code-server is a remote window: `machine`-scoped settings (the
 * Plexus executable paths and socket) are read from the remote's Machine settings, so the same
 * object goes to both User and Machine settings.
 */
export function writeSettings(userDataDir, settings) {
  const all = { ...BASE_SETTINGS, ...settings };
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, scope, 'settings.json'), JSON.stringify(all, null, 2));
  }
}

/**
 * Installs an extension into `extensionsDir`.
 * - a folder (a built extension: package.json + its `main`): symlinked as `publisher.name-version`
 *   and recorded in the dir's extensions.json — instant, and it runs the repo's build in place;
 * - a .vsix: `code-server --install-extension` (a few seconds: a full node start plus unzip).
 * @returns {Promise<string>} the extension id (`publisher.name`)
 */
export async function installExtension(extension, { extensionsDir, userDataDir }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const manifestPath = path.join(extensionsDir, 'extensions.json');
  const readManifest = () => (fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : []);
  if (extension.endsWith('.vsix')) {
    // A folder install left a symlink here: drop it first, so the VSIX install cannot replace the
    // folder it points to (the repo) instead of the link.
    const links = new Set(fs.readdirSync(extensionsDir).filter((name) => fs.lstatSync(path.join(extensionsDir, name)).isSymbolicLink()));
    for (const name of links) fs.unlinkSync(path.join(extensionsDir, name));
    if (links.size) fs.writeFileSync(manifestPath, JSON.stringify(readManifest().filter((e) => !links.has(e.relativeLocation))));
    await execFileAsync(process.execPath, [
      CODE_SERVER_ENTRY, '--install-extension', path.resolve(extension), '--force',
      '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    ], { env: codeServerEnv(path.dirname(userDataDir)) });
    return readManifest().at(-1).identifier.id;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  // VS Code lists user extensions from this manifest; a folder missing from it is not loaded.
  // Idempotent: a previous install of the same extension (any version, folder or VSIX) is replaced.
  let manifest = readManifest();
  for (const entry of manifest.filter((e) => e.identifier?.id?.toLowerCase() === id)) removeEntry(extensionsDir, entry.relativeLocation);
  manifest = manifest.filter((e) => e.identifier?.id?.toLowerCase() !== id);
  const folderName = `${id}-${pkg.version}`;
  const target = path.join(extensionsDir, folderName);
  removeEntry(extensionsDir, folderName);
  fs.symlinkSync(path.resolve(extension), target, 'dir');
  manifest.push({
    identifier: { id },
    version: pkg.version,
    location: { $mid: 1, path: target, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return id;
}

/** Removes one installed extension folder: a symlink is unlinked (never followed). */
function removeEntry(extensionsDir, name) {
  if (!name || name !== path.basename(name)) return;
  const location = path.join(extensionsDir, name);
  let stat;
  try { stat = fs.lstatSync(location); } catch { return; }
  if (stat.isSymbolicLink()) fs.unlinkSync(location);
  else fs.rmSync(location, { recursive: true, force: true });
}

/**
 * code-server's environment: its config and data under the temp dir, outside any tmux.
 * @param {string} root
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function codeServerEnv(root, extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'TMUX' || key === 'TMUX_PANE' || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  // The caller's own variables win, VSCODE_CLI included.
  Object.assign(env, extra);
  env.XDG_CONFIG_HOME = path.join(root, 'xdg-config');
  env.XDG_DATA_HOME = path.join(root, 'xdg-data');
  return env;
}

/**
 * Starts code-server in its own process group and waits until it answers HTTP.
 * @param {{ root: string, userDataDir: string, extensionsDir: string, folder: string, port?: number,
 *   logFile: string, env?: Record<string, string>, hideDotnet?: boolean, timeout?: number }} options
 * @returns {Promise<{ url: string, port: number, child: import('node:child_process').ChildProcess, stop: () => Promise<void>, readyMs: number }>}
 */
export async function startCodeServer({ root, userDataDir, extensionsDir, folder, port, logFile, env = {}, hideDotnet = false, timeout = 60_000 }) {
  port ??= await freePort();
  const configFile = path.join(root, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const log = fs.openSync(logFile, 'a');
  const started = Date.now();
  const [command, args] = withoutDotnet(hideDotnet, process.execPath, [
    CODE_SERVER_ENTRY,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ]);
  const childEnv = codeServerEnv(root, { ...env, [RUN_MARKER]: root });
  if (hideDotnet) for (const key of Object.keys(childEnv)) if (key.startsWith('DOTNET_ROOT')) delete childEnv[key];
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: childEnv });
  fs.closeSync(log);
  // detached: the child leads its own process group, whose id is its pid.
  const group = child.pid;
  if (group === undefined) throw new Error(`code-server did not start; see ${logFile}`);
  let exited = false;
  child.once('exit', () => { exited = true; });

  const stop = async () => {
    if (exited) return;
    // The whole group: code-server, its extension host, pty host and file watcher.
    try { process.kill(-group, 'SIGTERM'); } catch { /* already gone */ }
    if (!(await waitForExit(child, 5_000))) {
      console.error(`[e2e] code-server ${child.pid} ignored SIGTERM for 5 s: SIGKILL`);
      try { process.kill(-group, 'SIGKILL'); } catch { /* already gone */ }
      await waitForExit(child, 2_000);
    }
    // Children that outlived the leader in the same group (the extension host shuts down slower).
    await waitFor(() => !groupAlive(group), { timeout: 5_000, message: `process group ${group} to exit` })
      .catch(() => { try { process.kill(-group, 'SIGKILL'); } catch { /* gone */ } });
  };

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(async () => {
      if (exited) throw Object.assign(new Error(`code-server exited early (code ${child.exitCode}); see ${logFile}`), { fatal: true });
      const response = await fetch(`${url}healthz`).catch(() => undefined);
      return response?.ok;
    }, { timeout, interval: 100, message: `code-server to answer on ${url}` });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, child, stop, readyMs: Date.now() - started };
}

/**
 * The .NET installation the `dotnet` on PATH belongs to (e.g. /usr/share/dotnet, also .NET's default location), or
 * undefined when PATH has none.
 */
export function dotnetInstallDir() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'dotnet');
    if (dir && fs.existsSync(candidate)) return path.dirname(fs.realpathSync(candidate));
  }
  return undefined;
}

/**
 * The command line that runs `command args` on a machine without .NET, when `hide` is set: in a private mount
 * namespace (unshare; needs root, as CI runs) whose .NET folder is an empty tmpfs, so the `dotnet` on PATH dangles
 * and the default location is empty, for that process and everything it starts. Otherwise `command args` as is.
 * @param {boolean} hide
 * @param {string} command
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function withoutDotnet(hide, command, args) {
  const dotnetDir = hide ? dotnetInstallDir() : undefined;
  if (!dotnetDir) return [command, args];
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs plexus-no-dotnet "$0" && exec "$@"', dotnetDir, command, ...args]];
}

/** The variable every process of one editor inherits (code-server's children, shells, the host, tmux panes). */
export const RUN_MARKER = 'PLEXUS_E2E_RUN';

/** Pids of live processes whose environment carries `PLEXUS_E2E_RUN=<value>`. */
export function processesMarked(value) {
  const needle = Buffer.from(`${RUN_MARKER}=${value}\0`);
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** Whether any process is left in the process group `pgid`. */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
