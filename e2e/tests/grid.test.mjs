// The pane grid (issue 10): layouts 1×1 … 4×4, empty panes with a session list, per-pane actions, Create Session
// into the first empty pane, status bar slots, sizes that never fight, and a reload that keeps it all.
// Screenshots: test-results/e2e/<test>-<step>.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionFromPalette, startPlexus, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

const layouts = ['1×1', '1×2', '2×1', '2×2', '2×3', '3×2', '3×3', '3×4', '4×4'];
const shell = 'bash --norc --noprofile';

/** "Plexus: Grid Layout…" and the layout row. */
async function chooseLayout(wb, label) {
  await wb.runCommand('Plexus: Grid Layout…');
  const row = wb.quickInput.locator('.monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.click({ timeout: 10_000 });
}

/** A pane's header action (its editor group's title bar), for the active group. */
async function paneAction(wb, label) {
  const action = wb.page.locator('.part.editor .editor-group-container.active .editor-actions a.action-label', { has: wb.page.locator(':scope') }).and(wb.page.locator(`[aria-label^="${label}"]`)).first();
  await action.click({ timeout: 10_000 });
}

const groupCount = (wb) => wb.page.locator('.part.editor .editor-group-container').count();

/** Status bar entries of the panes, by accessible label: "#1 empty", "#2 coder, idle". */
async function slots(wb) {
  return (await wb.statusBarItems()).map((item) => item.label || item.text).filter((label) => /^#\d+ /.test(label));
}

async function waitForSlot(wb, pattern, message) {
  return waitFor(async () => (await slots(wb)).find((label) => pattern.test(label)), { timeout: 20_000, message: `${message}: ${pattern}` });
}

/** The drawn rows of empty pane N: a terminal in the group whose tab says "#N empty" (DOM renderer rows). */
function emptyPaneRows(page, pane) {
  return page.locator('.part.editor .editor-group-container')
    .filter({ has: page.locator('.tab .label-name', { hasText: new RegExp(`^#${pane} empty$`) }) })
    .locator('.xterm-rows > div');
}

/** Waits until empty pane N has drawn its list, and returns its rows. */
async function emptyPane(page, pane) {
  const rows = emptyPaneRows(page, pane);
  await waitFor(async () => (await rows.allInnerTexts()).some((row) => row.includes(`Pane #${pane} — empty`)),
    { timeout: 20_000, message: `the empty pane #${pane} drawn` });
  return rows;
}

/** Clicks session `name`'s row in empty pane N. */
async function clickInEmptyPane(page, pane, name) {
  const rows = await emptyPane(page, pane);
  const box = await rows.filter({ hasText: new RegExp(`^\\s*\\d?\\s+\\S\\s${name}\\s`) }).first().boundingBox();
  assert.ok(box, `session ${name} listed in pane #${pane}`);
  // The terminal's own layer above its rows takes the click, as it does a user's: click where the row is drawn.
  await page.mouse.click(box.x + 30, box.y + box.height / 2);
}

/** tmux's clients of a session: size and flags. */
async function clients(tmux, name) {
  const out = await tmux.run('list-clients', '-t', `=${name}`, '-F', '#{client_width}x#{client_height} #{client_flags}');
  return out.split('\n').filter((line) => line && !line.includes('control-mode'));
}

/** The window size a client of this size asks for: tmux's status line takes one of its rows. */
const windowFor = (client) => {
  const [width, height] = client.split(' ')[0].split('x').map(Number);
  return `${width}x${height - 1}`;
};

const windowSize = async (tmux, name) => (await tmux.run('display-message', '-p', '-t', `=${name}:`, '#{window_width}x#{window_height}')).trim();

test('GridLayout_EveryLayoutFrom1x1To4x4_EmptyPanesAndStatusBarSlots', async (t) => {
  const editor = await startPlexus('10-grid-layouts');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await editor.tmux.newSession('g1', shell);
  await wb.waitForTreeItem(VIEW, 'g1');

  for (const label of layouts) {
    const [rows, columns] = label.split('×').map(Number);
    const panes = rows * columns;
    await chooseLayout(wb, label);
    await waitFor(async () => (await groupCount(wb)) === panes, { timeout: 20_000, message: `${panes} editor groups for ${label}` });
    await waitFor(async () => (await slots(wb)).length === panes, { message: `${panes} status bar slots` });
    assert.ok((await slots(wb)).every((slot) => / empty$/.test(slot)), `all panes empty: ${await slots(wb)}`);
    // Every pane has drawn its list, with the session in it.
    for (let pane = 1; pane <= panes; pane++) {
      const rows = await emptyPane(editor.page, pane);
      // The terminal may draw the heading a frame before the rows below it.
      await waitFor(async () => (await rows.allInnerTexts()).some((row) => /\bg1\b/.test(row)), { timeout: 10_000, message: `pane #${pane} listing g1` });
    }
    const tabs = await wb.editorTabs();
    assert.equal(tabs.filter((tab) => /^#\d+ empty$/.test(tab)).length, panes, `one empty pane per group: ${tabs}`);
    await wb.screenshot(`layout-${rows}x${columns}`);
  }
  assert.deepEqual(await wb.notifications(), [], 'no message while laying out');
});

test('Grid_AttachSwitchDetachCreate_SizesNeverFight_ReloadKeepsIt', async (t) => {
  const editor = await startPlexus('10-grid-panes');
  t.after(() => editor.close());
  const wb = editor.workbench;
  const { tmux } = editor;
  for (const name of ['a', 'b', 'c']) await tmux.newSession(name, shell);
  for (const name of ['a', 'b', 'c']) await wb.waitForTreeItem(VIEW, name);

  // 'a' is attached in the panel before the grid opens.
  await wb.runCommand('Plexus: Attach Session');
  await wb.fillInput('a');
  await wb.submitInput();
  await waitFor(async () => (await wb.terminalNames()).includes('a'), { message: "a's panel terminal" });
  await waitFor(async () => (await clients(tmux, 'a')).length === 1, { message: 'one client on a' });

  // A layout with a session in the panel: no error, nothing detached, four empty panes.
  await chooseLayout(wb, '2×2');
  await waitFor(async () => (await slots(wb)).filter((s) => / empty$/.test(s)).length === 4, { timeout: 20_000, message: 'four empty slots' });
  assert.equal(await groupCount(wb), 4);
  assert.deepEqual(await wb.notifications(), [], 'no error');
  assert.equal((await clients(tmux, 'a')).length, 1, "the panel terminal still shows 'a'");
  await wb.screenshot('empty-2x2');

  // Click 'a' in pane 1: a second view of it, attached with ignore-size, so the panel keeps its size.
  await clickInEmptyPane(editor.page, 1, 'a');
  await waitForSlot(wb, /^#1 a,/, "pane 1 shows 'a'");
  await waitFor(async () => (await clients(tmux, 'a')).length === 2, { message: "two clients on 'a'" });
  const both = await clients(tmux, 'a');
  assert.equal(both.filter((c) => c.includes('ignore-size')).length, 1, `the pane's client ignores size: ${both}`);
  // The window follows the panel's client only (its size changes as the grid takes room above it).
  await waitFor(async () => {
    const panel = (await clients(tmux, 'a')).find((c) => !c.includes('ignore-size'));
    return panel !== undefined && (await windowSize(tmux, 'a')) === windowFor(panel);
  }, { message: "a's window at the panel client's size" });
  console.error(`[grid] a: clients ${await clients(tmux, 'a')}, window ${await windowSize(tmux, 'a')}`);
  await wb.screenshot('pane1-a');

  // Switch Session… in pane 1 (focused from its status bar slot): 'b' replaces 'a', whose panel view stays.
  await wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /^#1\s/ }).first().click();
  await paneAction(wb, 'Switch Session…');
  await waitFor(async () => /pane #1$/.test((await wb.quickInputBox.getAttribute('placeholder')) ?? ''), { message: 'the session pick for pane #1' });
  await wb.fillInput('b');
  await wb.submitInput();
  await waitForSlot(wb, /^#1 b,/, "pane 1 shows 'b'");
  await waitFor(async () => (await clients(tmux, 'b')).length === 1, { message: "b's pane client" });
  await waitFor(async () => (await clients(tmux, 'a')).length === 1, { message: "a back to its panel client" });
  // 'b' has only the pane: it attaches normally, and its window takes the pane's size.
  assert.ok(!(await clients(tmux, 'b'))[0].includes('ignore-size'));
  await waitFor(async () => (await windowSize(tmux, 'b')) === windowFor((await clients(tmux, 'b'))[0]), { timeout: 2_000, message: "b's window at the pane's size" });
  await wb.screenshot('pane1-switched-to-b');

  // Detach pane 1: it becomes empty, 'b' keeps running; then click 'c' in it.
  await paneAction(wb, 'Detach Pane');
  await waitForSlot(wb, /^#1 empty$/, 'pane 1 empty again');
  await waitFor(async () => (await clients(tmux, 'b')).length === 0, { message: "b's pane client gone" });
  assert.ok(await tmux.hasSession('b'), "'b' keeps running");
  await clickInEmptyPane(editor.page, 1, 'c');
  await waitForSlot(wb, /^#1 c,/, "pane 1 shows 'c'");
  await wb.screenshot('pane1-c');

  // Create Session with the grid open: the new session fills the first empty pane, #2.
  await createSessionFromPalette(wb, 'd', '');
  await waitForSlot(wb, /^#2 d,/, "pane 2 shows the new 'd'");
  await waitFor(async () => (await clients(tmux, 'd')).length === 1, { message: "d's pane client" });
  assert.ok(/^#3 empty$/.test((await slots(wb))[2]) && /^#4 empty$/.test((await slots(wb))[3]), `${await slots(wb)}`);
  await waitFor(async () => (await wb.statusBarItems()).some((item) => /4 sessions/.test(item.text)), { message: 'the count after the slots' });
  await wb.screenshot('created-d');

  // A click on a session in the Sessions view with the grid open: 'b', shown nowhere, fills the first empty pane, #3.
  // A row redrawn under the pointer (sessions change here every second) takes no click: the user clicks again.
  const shownInPane3 = async () => (await slots(wb)).some((slot) => /^#3 b,/.test(slot));
  for (let attempt = 1; attempt <= 3 && !(await shownInPane3()); attempt++) {
    await wb.treeRow(VIEW, 'b').click();
    await waitFor(shownInPane3, { timeout: 5_000 }).catch(() => undefined);
  }
  await waitForSlot(wb, /^#3 b,/, "pane 3 shows 'b'");
  await waitFor(async () => (await clients(tmux, 'b')).length === 1, { message: "b's pane client" });
  assert.ok(/^#4 empty$/.test((await slots(wb))[3]), `${await slots(wb)}`);

  // A session ends inside the grid: its pane empties, the others are laid out again and redraw at their size.
  await tmux.run('kill-session', '-t', '=c');
  await waitForSlot(wb, /^#1 empty$/, "pane 1 empty after 'c' ended");
  await waitFor(async () => (await groupCount(wb)) === 4, { message: 'still four groups' });
  const dClient = await waitFor(async () => (await clients(tmux, 'd'))[0], { message: "d's client" });
  const dSize = windowFor(dClient);
  const started = Date.now();
  await waitFor(async () => (await windowSize(tmux, 'd')) === dSize, { timeout: 1_000, message: "d's window at its pane's size within 1 s" });
  console.error(`[grid] d redrawn at ${dSize} ${Date.now() - started} ms after the check began`);
  await wb.screenshot('c-ended');

  // Reload: the 2×2 layout, 'd' in pane 2 and 'b' in pane 3 come back; the old window's pane clients are detached,
  // so no session has a second client.
  await editor.page.reload();
  await wb.ready();
  await waitForSlot(wb, /^#2 d,/, "pane 2 shows 'd' after the reload");
  await waitFor(async () => (await slots(wb)).length === 4, { message: 'four slots after the reload' });
  await waitFor(async () => (await groupCount(wb)) === 4, { timeout: 20_000, message: 'four groups after the reload' });
  await waitFor(async () => (await clients(tmux, 'd')).length === 1, { timeout: 20_000, message: "one client on 'd' after the reload" });
  await waitFor(async () => (await clients(tmux, 'b')).length === 1, { timeout: 20_000, message: "one client on 'b' after the reload" });
  await waitFor(async () => (await wb.editorTabs()).filter((tab) => tab === 'd').length === 1, { timeout: 20_000, message: "one 'd' tab" });
  await wb.screenshot('reloaded');
});
