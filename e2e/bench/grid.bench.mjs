// The grid benchmark (issue 10), in the real editor (code-server + Chromium) as a user drives it:
//   - lay out 4×4: "Plexus: Grid Layout…" → 16 groups, each drawing its empty pane;
//   - fill it: 16 sessions selected in the Sessions view → Attach Session → 16 panes attached (16 tmux clients);
//   - a reload: the same 4×4 grid and its 16 sessions back, attached;
//   - CPU of the extension host, the pty host and the browser with 16 idle panes, then 16 busy ones (each session
//     printing 10 lines/s). The naive way to watch 16 sessions, one panel terminal each (the grid's own terminals
//     without the grid), is measured beside it in the same run.
// Writes bench/results/grid.md. Run by `./plexus bench` (or `node e2e/bench/grid.bench.mjs` after ./plexus build).
import fs from 'node:fs';
import path from 'node:path';
import { processesMarked, REPO_DIR } from '../lib/codeServer.mjs';
import { startPlexus, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

const PANES = 16;
const SAMPLE_SECONDS = 10;
const TICKS_PER_SECOND = 100; // Linux USER_HZ
const names = Array.from({ length: PANES }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU ticks (user + system) of a process, or 0 once it is gone. */
function ticks(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function cmdline(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; }
}

/** The editor's processes by role: VS Code's extension host and pty host, and every Chromium process. */
function roles(editor) {
  const marked = processesMarked(editor.root);
  // Chromium is this script's child (Playwright launched it), code-server too: tell them apart by program.
  const browser = descendants(process.pid).filter((pid) => /chrom/.test(cmdline(pid).split(' ')[0]));
  return {
    'extension host': marked.filter((pid) => /--type=extensionHost/.test(cmdline(pid))),
    'pty host': marked.filter((pid) => /--type=ptyHost/.test(cmdline(pid))),
    browser,
  };
}

function descendants(pid) {
  const children = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      if (parent === pid) children.push(Number(entry), ...descendants(Number(entry)));
    } catch { /* gone */ }
  }
  return children;
}

/** Percent of one core each role used over SAMPLE_SECONDS. */
async function cpu(processes) {
  const before = Object.fromEntries(Object.entries(processes).map(([role, pids]) => [role, pids.reduce((sum, pid) => sum + ticks(pid), 0)]));
  const started = Date.now();
  await sleep(SAMPLE_SECONDS * 1000);
  const seconds = (Date.now() - started) / 1000;
  return Object.fromEntries(Object.entries(processes).map(([role, pids]) => {
    const used = pids.reduce((sum, pid) => sum + ticks(pid), 0) - before[role];
    return [role, (100 * used) / TICKS_PER_SECOND / seconds];
  }));
}

/** The grid Plexus saved in the workspace's storage folder (user-data/User/workspaceStorage/<id>/<extension>/grid.json). */
function savedGrid(editor) {
  const storage = path.join(editor.userDataDir, 'User', 'workspaceStorage');
  for (const workspace of fs.existsSync(storage) ? fs.readdirSync(storage) : []) {
    for (const extension of fs.readdirSync(path.join(storage, workspace))) {
      const file = path.join(storage, workspace, extension, 'grid.json');
      if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  return undefined;
}

const slots = async (wb) => (await wb.statusBarItems()).map((item) => item.label || item.text).filter((label) => /^#\d+ /.test(label));
const clientCount = async (tmux) => (await tmux.run('list-clients', '-F', '#{client_flags}')).split('\n').filter((l) => l && !l.includes('control-mode')).length;

async function chooseLayout(wb, label) {
  await wb.runCommand('Plexus: Grid Layout…');
  await wb.quickInput.locator('.monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first().click({ timeout: 10_000 });
}

/** Selects every session in the Sessions view (click one, Ctrl+A) and attaches them from the context menu. */
async function attachAll(wb) {
  await wb.treeRow(VIEW, names[0]).click();
  await wb.page.keyboard.press('Control+a');
  const selected = wb.viewPane(VIEW).locator('.monaco-list-row[aria-selected="true"]');
  await waitFor(async () => (await selected.count()) === PANES, { message: 'all 16 sessions selected' });
  await wb.treeContextMenu(VIEW, names.at(-1), 'Attach Session');
}

/**
 * CPU by role while the sessions are quiet, then while they print (the flag file exists); `whileBusy` runs before
 * the output stops.
 */
async function idleThenBusy(editor, flag, whileBusy = async () => {}) {
  const processes = roles(editor);
  const idle = await cpu(processes);
  fs.writeFileSync(flag, '');
  await sleep(1000);
  const busy = await cpu(processes);
  await whileBusy();
  fs.rmSync(flag);
  return [idle, busy];
}

async function run() {
  const flag = path.join(fs.mkdtempSync('/tmp/plexus-bench-grid-'), 'busy');
  // Every session prints 10 lines a second while the flag file exists, and nothing otherwise.
  const loop = `sh -c 'while :; do [ -e ${flag} ] && echo "$(date +%T.%N) busy line of output"; sleep 0.1; done'`;
  const results = {};

  // The grid.
  {
    const editor = await startPlexus('bench-grid');
    try {
      const { workbench: wb, tmux } = editor;
      for (const name of names) await tmux.newSession(name, loop);
      await wb.waitForTreeItem(VIEW, names.at(-1));

      let started = Date.now();
      await chooseLayout(wb, '4×4');
      await waitFor(async () => (await slots(wb)).filter((s) => / empty$/.test(s)).length === PANES, { timeout: 60_000, message: '16 empty panes' });
      await waitFor(async () => {
        const drawn = await editor.page.locator('.part.editor .xterm-rows > div', { hasText: /^Pane #\d+ — empty/ }).count();
        return drawn === PANES;
      }, { timeout: 60_000, message: '16 empty panes drawn' });
      results.layoutMs = Date.now() - started;

      started = Date.now();
      await attachAll(wb);
      await waitFor(async () => (await clientCount(tmux)) === PANES && (await slots(wb)).every((s) => !/ empty$/.test(s)), { timeout: 120_000, message: '16 panes attached' });
      results.fillMs = Date.now() - started;
      await wb.screenshot('filled-4x4');

      // The grid keeps its panes' client pids as each terminal reports its process; the reload comes after.
      await waitFor(() => savedGrid(editor)?.clientPids?.length === PANES, { timeout: 30_000, message: 'the grid saved with 16 client pids' });
      started = Date.now();
      await editor.page.reload();
      await wb.ready();
      await waitFor(async () => (await slots(wb)).length === PANES && (await slots(wb)).every((s) => !/ empty$/.test(s)), { timeout: 120_000, message: '16 named slots after the reload' });
      await waitFor(async () => (await clientCount(tmux)) === PANES, { timeout: 120_000, message: '16 clients after the reload' });
      results.reloadMs = Date.now() - started;

      [results.gridIdle, results.gridBusy] = await idleThenBusy(editor, flag, () => wb.screenshot('busy-4x4'));
    } finally {
      await editor.close({ failOnLeftovers: false });
    }
  }

  // The naive way: the same 16 sessions in 16 panel terminals, no grid.
  {
    const editor = await startPlexus('bench-panel');
    try {
      const { workbench: wb, tmux } = editor;
      for (const name of names) await tmux.newSession(name, loop);
      await wb.waitForTreeItem(VIEW, names.at(-1));
      const started = Date.now();
      await attachAll(wb);
      await waitFor(async () => (await clientCount(tmux)) === PANES, { timeout: 120_000, message: '16 panel terminals attached' });
      results.panelFillMs = Date.now() - started;
      [results.panelIdle, results.panelBusy] = await idleThenBusy(editor, flag);
    } finally {
      await editor.close({ failOnLeftovers: false });
    }
  }
  fs.rmSync(path.dirname(flag), { recursive: true, force: true });
  return results;
}

function report(r) {
  const pct = (value) => `${value.toFixed(1)} %`;
  const rows = ['extension host', 'pty host', 'browser'].map((role) =>
    `| ${role} | ${pct(r.gridIdle[role])} | ${pct(r.gridBusy[role])} | ${pct(r.panelBusy[role])} | ${(r.gridBusy[role] / Math.max(r.panelBusy[role], 0.1)).toFixed(2)}× |`);
  return [
    `# Grid benchmark (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${PANES} sessions, 1280×800 Chromium)`,
    '',
    '| Step | Time |',
    '| --- | --- |',
    `| 4×4 layout: 16 groups, each empty pane drawn | ${r.layoutMs} ms |`,
    `| fill: 16 sessions selected → Attach Session → 16 panes attached | ${r.fillMs} ms |`,
    `| lay out and fill 4×4 (sum) | ${r.layoutMs + r.fillMs} ms |`,
    `| Reload Window → the 4×4 grid back with its 16 sessions attached | ${r.reloadMs} ms |`,
    `| naive: the same 16 sessions as 16 panel terminals | ${r.panelFillMs} ms |`,
    '',
    `CPU, % of one core over ${SAMPLE_SECONDS} s; busy = every session printing 10 lines/s:`,
    '',
    '| Process | Grid, 16 idle panes | Grid, 16 busy panes | Naive, 16 busy panel terminals | Grid / naive |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

const results = await run();
const text = report(results);
const out = path.join(REPO_DIR, 'bench', 'results', 'grid.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, text);
console.log(text);
