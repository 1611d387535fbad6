// One real editor for one test: a private tmux server, code-server with a throw-away profile and
// the extension installed, and headless Debian Chromium showing the workbench. `close()` undoes
// all of it (browser, code-server's process group, the private tmux server, the temp dir).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { installExtension, processesMarked, REPO_DIR, startCodeServer, writeSettings } from './codeServer.mjs';
import { PrivateTmux } from './tmux.mjs';
import { waitFor } from './wait.mjs';
import { Workbench } from './workbench.mjs';

export const RESULTS_DIR = path.join(REPO_DIR, 'test-results', 'e2e');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * @param {object} options
 * @param {string} options.name            short name of the test: prefixes screenshots and logs
 * @param {string} [options.extension]     a built extension folder or a .vsix (default: none)
 * @param {Record<string, unknown>} [options.settings]  extra user settings
 * @param {boolean} [options.tmux]         create a private tmux socket and pass it as plexus.tmux.socketName
 * @param {string} [options.folder]        the folder the window opens (default: a fresh empty one)
 * @param {{width:number,height:number}} [options.viewport]
 * @param {Record<string, string>} [options.env]  extra environment for the editor (and so for the Plexus host)
 * @param {boolean} [options.hideDotnet]   run the editor as on a machine without .NET (see withoutDotnet)
 */
export async function startEditor({ name, extension, settings = {}, tmux = false, folder, viewport = { width: 1280, height: 800 }, env = {}, hideDotnet = false }) {
  const timings = {};
  // Short: unix socket paths under it (tmux, VS Code's IPC) must stay within 107 bytes.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `plexus-e2e-${name.slice(0, 12)}-`));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const logFile = path.join(root, 'code-server.log');
  if (!folder) {
    folder = path.join(root, 'workspace');
    fs.mkdirSync(folder);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });

  // tmux sockets of everything this editor starts live under the temp dir (TMUX_TMPDIR), so no
  // test can touch the user's default tmux server, whatever the code under test does.
  const tmuxTmpDir = path.join(root, 'tmux');
  fs.mkdirSync(tmuxTmpDir);
  // VS Code's extension host leaves vscode-ipc-*.sock and vscode-git-*.sock in TMPDIR when it is
  // stopped; a TMPDIR inside the temp dir goes away with it.
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir);
  const privateTmux = tmux ? new PrivateTmux({ tmpDir: tmuxTmpDir }) : undefined;
  const allSettings = { ...settings };
  if (privateTmux) allSettings['plexus.tmux.socketName'] ??= privateTmux.socketName;
  writeSettings(userDataDir, allSettings);

  /** @type {Array<(() => Promise<unknown>) & { label?: string }>} */
  const cleanups = [];
  const editor = {
    name, root, userDataDir, extensionsDir, logFile, folder, timings,
    tmux: privateTmux,
    /** @type {string | undefined} */ extensionId: undefined,
    /** @type {import('playwright-core').Browser | undefined} */ browser: undefined,
    /** @type {import('playwright-core').Page | undefined} */ page: undefined,
    /** @type {Workbench | undefined} */ workbench: undefined,
    /** @type {string | undefined} */ url: undefined,
    /** @type {string[]} processes found alive after teardown (and then killed) */
    leftovers: [],
    /**
     * Tears everything down; throws (after cleaning up) when a process of this editor outlived
     * it, so a leak fails the test that caused it.
     */
    async close({ keepLogs = true, failOnLeftovers = true } = {}) {
      const t = Date.now();
      for (const cleanup of cleanups.reverse()) {
        const started = Date.now();
        await cleanup().catch((error) => console.error(`[e2e ${name}] cleanup failed: ${error.message}`));
        if (Date.now() - started > 4_000) console.error(`[e2e ${name}] slow cleanup (${Date.now() - started} ms): ${cleanup.label ?? cleanup.name}`);
      }
      cleanups.length = 0;
      // Anything still carrying this editor's marker escaped the teardown: say so, then end it.
      const leftoversStarted = Date.now();
      const leftovers = await waitFor(() => processesMarked(root).length === 0, { timeout: 3_000 })
        .then(() => [], () => processesMarked(root));
      if (Date.now() - leftoversStarted > 1_000) console.error(`[e2e ${name}] marked processes took ${Date.now() - leftoversStarted} ms to exit`);
      if (leftovers.length) {
        editor.leftovers = leftovers.map((pid) => `${pid} ${readCmdline(pid)}`);
        console.error(`[e2e ${name}] processes left after teardown:\n  ${editor.leftovers.join('\n  ')}`);
        for (const pid of leftovers) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      }
      if (keepLogs) copyLogs(editor);
      fs.rmSync(root, { recursive: true, force: true });
      timings.closeMs = Date.now() - t;
      console.error(`[e2e ${name}] closed in ${timings.closeMs} ms`);
      if (failOnLeftovers && editor.leftovers.length) {
        throw new Error(`processes outlived the editor: ${editor.leftovers.join('; ')}`);
      }
    },
  };
  const cleanup = (label, fn) => cleanups.push(Object.assign(fn, { label }));
  if (privateTmux) cleanup('kill the private tmux server', () => privateTmux.killServer());

  try {
    let t = Date.now();
    if (extension) editor.extensionId = await installExtension(extension, { extensionsDir, userDataDir });
    timings.installExtensionMs = Date.now() - t;

    // VSCODE_CLI=1: VS Code then skips resolving the login shell's environment (`bash -i -l -c node …`), which
    // waits on whatever the user's profile does (a pyenv rehash lock held 60 s) and outlived the teardown.
    const server = await startCodeServer({ root, userDataDir, extensionsDir, folder, logFile, hideDotnet, env: { ...env, TMUX_TMPDIR: tmuxTmpDir, TMPDIR: tmpDir, VSCODE_CLI: '1' } });
    cleanup('stop code-server', server.stop);
    timings.codeServerReadyMs = server.readyMs;
    editor.url = `${server.url}?folder=${encodeURIComponent(folder)}`;

    t = Date.now();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    cleanup('close the browser', () => browser.close());
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const consoleLines = [];
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    cleanup('save the browser console', () => fs.promises.writeFile(path.join(root, 'browser-console.log'), consoleLines.join('\n')));
    // The last state of every test, passed or failed: the first thing to look at after a failure.
    cleanup('last screenshot', () => page.screenshot({ path: path.join(RESULTS_DIR, `${name}-last.png`) }).then(() => {}));
    timings.browserLaunchMs = Date.now() - t;

    t = Date.now();
    await page.goto(editor.url);
    editor.browser = browser;
    editor.page = page;
    editor.workbench = new Workbench(page, { resultsDir: RESULTS_DIR, prefix: name });
    await editor.workbench.ready();
    timings.workbenchReadyMs = Date.now() - t;
    console.error(`[e2e ${name}] install ${timings.installExtensionMs} ms, code-server ${timings.codeServerReadyMs} ms, `
      + `chromium ${timings.browserLaunchMs} ms, workbench ${timings.workbenchReadyMs} ms`);
    return editor;
  } catch (error) {
    await editor.close({ failOnLeftovers: false });
    throw error;
  }
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Keeps code-server's, the browser's and VS Code's own logs next to the screenshots. */
function copyLogs(editor) {
  const dest = path.join(RESULTS_DIR, `${editor.name}-logs`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const file of ['code-server.log', 'browser-console.log']) {
    const src = path.join(editor.root, file);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dest, file));
  }
  const vscodeLogs = path.join(editor.userDataDir, 'logs');
  if (fs.existsSync(vscodeLogs)) fs.cpSync(vscodeLogs, path.join(dest, 'vscode'), { recursive: true });
}
