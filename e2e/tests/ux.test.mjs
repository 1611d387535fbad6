// The extension as a VS Code user expects it (issue 9): always on, readable, one click away.
// Screenshots: test-results/e2e/<test>-<step>.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSessionFromPalette, startPlexus, statusOf, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

const asks = (question) => `bash -c 'read -p "${question} [y/N] " a; sleep 600'`;

test('Reload_WithExplorerShowing_StatusBarAndNotificationAppear_OncePerTransition', async (t) => {
  const editor = await startPlexus('9-reload', {}, { openView: false });
  t.after(() => editor.close());
  const wb = editor.workbench;
  await editor.tmux.newSession('asks', asks('Deploy now?'));

  // The Plexus view was never opened: activation on startup alone brings the status bar and the notification.
  assert.equal(await wb.viewPane(VIEW).count(), 0, 'the Sessions view is not showing');
  await wb.waitForStatusBar(/1 waiting/, { timeout: 30_000 });
  assert.match(await wb.waitForNotification(/'asks' asks for permission/), /Deploy now\?/);
  await wb.screenshot('explorer');

  // A reload restarts the extension and its host: the status bar comes back, the notification seen does not.
  await editor.page.reload();
  await wb.ready();
  await wb.waitForStatusBar(/1 waiting/, { timeout: 30_000 });
  // Another session's notification is the clock: by the time it shows, a repeat of the first would have too.
  await editor.tmux.newSession('asks-2', asks('Delete the cache?'));
  await wb.waitForNotification(/'asks-2' asks for permission/, { timeout: 30_000 });
  assert.deepEqual((await wb.notifications()).filter((text) => /'asks' /.test(text)), [], 'no second notification for the same wait');
  await wb.screenshot('reloaded');
});

test('StatusBar_ThemeColoursInFiveThemes_FourEntriesPlusMore_ReadOnlyMarked', async (t) => {
  const editor = await startPlexus('10-status-bar');
  t.after(() => editor.close());
  const wb = editor.workbench;
  const names = ['s1', 's2', 's3', 's4', 's5', 's6'];
  await editor.tmux.newSession('s1', asks('Proceed?'));
  // tmux drops a session whose program exits unless remain-on-exit keeps the pane, as Plexus's own sessions do.
  await editor.tmux.newSession('s2', 'sleep 600');
  await editor.tmux.run('set-option', '-w', '-t', '=s2:', 'remain-on-exit', 'on');
  await editor.tmux.run('respawn-pane', '-k', '-t', '=s2:', 'bash -c "echo failing; exit 3"');
  for (const name of names.slice(2)) await editor.tmux.newSession(name, 'bash --norc --noprofile');
  for (const name of names) await wb.waitForTreeItem(VIEW, name);

  await wb.waitForStatusBar(/1 waiting, 1 failed/);
  // Attach five from the tree in one go (a click, then Ctrl+clicks), and watch the sixth read-only.
  await wb.treeRow(VIEW, 's1').click();
  for (const name of names.slice(1, 5)) await wb.treeRow(VIEW, name).click({ modifiers: ['Control'] });
  const selected = wb.viewPane(VIEW).locator('.monaco-list-row[aria-selected="true"]');
  await waitFor(async () => (await selected.count()) === 5, { message: 'five rows selected' });
  await wb.treeContextMenu(VIEW, 's5', 'Attach Session');
  await waitFor(async () => (await wb.terminalNames()).length === 5, { timeout: 30_000, message: 'five terminals' });
  await wb.treeContextMenu(VIEW, 's6', 'Attach Session Read-Only');
  await waitFor(async () => (await wb.terminalNames()).includes('s6 (read-only)'), { message: 'the read-only terminal' });

  const entries = async () => (await wb.statusBarItems()).filter((item) => /^#\d/.test(item.text));
  await waitFor(async () => (await wb.statusBarItems()).some((item) => item.text === '+2'), { message: 'a "+2" entry' });
  assert.equal((await entries()).length, 4, 'four terminal entries');
  assert.ok((await entries()).every((item) => item.color === ''), 'no coloured text');
  await wb.waitForStatusBar(/1 waiting, 1 failed/);

  // Numbers stay put when a terminal closes.
  const before = (await entries()).map((item) => item.text);
  await wb.treeRow(VIEW, 's2').click();
  await wb.treeContextMenu(VIEW, 's2', 'Detach');
  await waitFor(async () => (await wb.terminalNames()).length === 5, { message: "s2's terminal closed" });
  await waitFor(async () => !(await entries()).some((item) => / s2$/.test(item.text)), { message: 's2 left the status bar' });
  const after = (await entries()).map((item) => item.text);
  for (const text of after.filter((entry) => !/ s[56]/.test(entry))) assert.ok(before.includes(text), `${text} kept its number: ${before}`);
  await waitFor(async () => (await wb.statusBarItems()).some((item) => item.text === '+1' || /#6[\s\S]*s6/.test(item.text)),
    { message: 'the read-only terminal reachable' });

  // The "+N" quick pick lists every terminal, the read-only one marked.
  await waitFor(async () => (await wb.statusBarItems()).some((item) => item.text === '+2' || item.text === '+1'), { message: '+N' })
    .catch(() => undefined);
  const more = wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /^\+\d$/ }).first();
  if (await more.count()) {
    await more.click();
    const picks = await wb.waitForQuickInputText(/s6/);
    assert.match(picks, /#\d+ s6/);
    await wb.screenshot('more');
    await wb.closeQuickInput();
  }

  // The built-in themes as the theme picker names them, with the class each puts on the workbench.
  const themes = [
    ['Light+', 'vs'], ['Dark+', 'vs-dark'], ['Light Modern', 'vs'], ['Dark Modern', 'vs-dark'],
    ['Dark High Contrast', 'hc-black'], ['Light High Contrast', 'hc-light'],
  ];
  const report = [];
  for (const [theme, kind] of themes) {
    await wb.runCommand('Preferences: Color Theme');
    await wb.quickInputBox.fill(theme);
    const row = wb.quickInput.locator('.monaco-list-row').filter({
      has: wb.page.locator('.label-name', { hasText: new RegExp(`^${theme.replace(/\+/g, '\\+')}$`) }),
    }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    await wb.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
    // The themes alternate between kinds, so the kind's class says the new one is on.
    await waitFor(() => wb.page.evaluate((className) => document.querySelector('.monaco-workbench')?.classList.contains(className), kind),
      { timeout: 15_000, message: `the ${theme} theme applied` });
    // Theme colours apply a frame after the class: wait until two reads agree.
    let contrast = [];
    await waitFor(async () => {
      const next = JSON.stringify(await wb.statusBarContrast());
      const same = next === JSON.stringify(contrast);
      contrast = JSON.parse(next);
      return same;
    }, { timeout: 10_000, message: 'status bar colours settled' });
    const file = theme.replace(/\+/g, '-plus').replace(/\W+/g, '-').toLowerCase();
    await wb.page.locator('#workbench\\.parts\\.statusbar').screenshot({ path: path.join(wb.resultsDir, `${wb.prefix}-bar-${file}.png`) });
    await wb.screenshot(`theme-${file}`);
    for (const item of contrast.filter((entry) => /^#\d|^\+\d|waiting|sessions/.test(entry.text))) {
      report.push(`${theme}: ${item.text} ${item.fg} on ${item.bg} = ${item.contrast.toFixed(2)}`);
      assert.ok(item.contrast >= 4.5, `${theme}: "${item.text}" contrast ${item.contrast.toFixed(2)} (${item.fg} on ${item.bg})`);
    }
  }
  t.diagnostic(report.join('\n'));
});

test('Scrollback_12000Lines_WholeHistoryFromLine1_ReadOnlyDocument_TailAndTiming', async (t) => {
  const editor = await startPlexus('11-scrollback');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });
  await createSessionFromPalette(wb, 'big', 'seq 1 12000; sleep 600');
  await waitFor(async () => /^12000$/m.test(await editor.tmux.capturePane('big')), { timeout: 20_000, message: 'big printed 12000 lines' });

  await wb.treeContextMenu(VIEW, 'big', 'Show Scrollback');
  await waitFor(async () => (await wb.editorTabs()).includes('scrollback: big'), { message: "a tab 'scrollback: big'" });
  const lines = await waitFor(async () => {
    const shown = await wb.editorLines();
    return shown.length > 2 ? shown : undefined;
  }, { message: 'the scrollback text' });
  assert.match(lines[0], /scrollback of 'big': all 12,000 lines; tmux keeps up to 50,000 lines of history/);
  assert.equal(lines[1], '1', 'line 1 of the history is there');
  assert.equal(lines[2], '2');
  assert.equal(await wb.page.locator('.part.editor .tab.active.dirty').count(), 0, 'nothing to save');
  await wb.screenshot('whole');

  await wb.treeContextMenu(VIEW, 'big', 'Show Scrollback Tail');
  await waitFor(async () => (await wb.editorTabs()).includes('scrollback: big (tail)'), { message: 'the tail tab' });
  await waitFor(async () => (await wb.editorLines()).includes('12000'), { message: 'the tail scrolled to its end' });
  // Ctrl+Home as a user does it: in the text, and again after a click into it if the top did not show.
  const text = wb.page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first();
  let presses = 0;
  await waitFor(async () => {
    if (/the last 1,000 of 12,000 lines/.test((await wb.editorLines())[0] ?? '')) return true;
    if (presses++) await text.click();
    await wb.page.keyboard.press('Control+Home');
    return false;
  }, { interval: 500, message: 'the tail header' });
  t.diagnostic(`the tail's top after ${presses} Ctrl+Home press(es)`);
  await wb.screenshot('tail');

  // 50,000 lines: from the menu to the text on screen.
  // history-limit counts when a pane is made: set it for the server first.
  await editor.tmux.run('set-option', '-g', 'history-limit', '60000');
  await editor.tmux.newSession('huge', 'seq 1 50000; sleep 600');
  await waitFor(async () => /^50000$/m.test(await editor.tmux.capturePane('huge')), { timeout: 30_000, message: 'huge printed 50000 lines' });
  await wb.waitForTreeItem(VIEW, 'huge');
  await wb.treeRow(VIEW, 'huge').click({ button: 'right' });
  const started = Date.now();
  await wb.pickMenuItem('Show Scrollback');
  await waitFor(async () => /all 50,000 lines/.test((await wb.editorLines())[0] ?? ''), { timeout: 10_000, message: 'the 50,000-line scrollback' });
  const openMs = Date.now() - started;
  t.diagnostic(`50,000-line scrollback opened in ${openMs} ms`);
  assert.equal((await wb.editorLines())[1], '1');
  await wb.screenshot('huge');
});

test('FailingCommand_ErrorNotificationSaysWhy_RespawnButton_RespawnWithCommandPrefilled', async (t) => {
  const editor = await startPlexus('12-failing');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  await createSessionFromPalette(wb, 'broken', 'plexus-no-such-agent --go');
  const message = await wb.waitForNotification(/'broken' exited with code 127/, { timeout: 20_000 });
  assert.match(message, /plexus-no-such-agent: (command )?not found/);
  assert.deepEqual(await wb.notificationButtons(/'broken' exited/), ['Respawn', 'Show']);
  // The pane keeps the lines (remain-on-exit).
  assert.match(await editor.tmux.run('capture-pane', '-p', '-S', '-100', '-t', '=broken:'), /plexus-no-such-agent: (command )?not found/);
  await wb.screenshot('notification');

  // The tooltip's text is unit-tested (tooltipMarkdown): the session carries the same detail.

  await wb.treeContextMenu(VIEW, 'broken', 'Respawn with Command…');
  await wb.waitForQuickInputText(/Command to run instead/);
  assert.equal(await wb.quickInputBox.inputValue(), 'plexus-no-such-agent --go', 'the old command, ready to edit');
  await wb.fillInput("echo 'fixed it'; sleep 600");
  await wb.submitInput();
  await waitFor(async () => /fixed it/.test(await editor.tmux.capturePane('broken')), { message: 'the new command runs' });
  await waitFor(async () => ['running', 'idle', 'stuck'].includes(statusOf(await wb.waitForTreeItem(VIEW, 'broken'))),
    { message: "'broken' runs again" });
  await wb.screenshot('respawned');
});

test('TreeRows_ClickFocusesOrAttaches_EnterToo_Detach_MultiSelectKill', async (t) => {
  const editor = await startPlexus('13-tree');
  t.after(() => editor.close());
  const wb = editor.workbench;
  for (const name of ['one', 'two', 'three', 'keep']) await editor.tmux.newSession(name, 'sleep 600');
  // The rows settle first (each turns idle a second after it appears): a row redrawn under the pointer takes no click.
  for (const name of ['one', 'two', 'three', 'keep']) await wb.waitForTreeItem(VIEW, new RegExp(`^${name}, idle`));

  // A click attaches a session without a terminal, and focuses the one it has.
  await wb.treeRow(VIEW, 'one').click();
  await waitFor(async () => (await editor.tmux.attachedClients('one')) === 1, { message: "'one' attached by a click" });
  await wb.treeRow(VIEW, 'two').click();
  await waitFor(async () => (await wb.terminalNames()).join() === 'one,two', { message: 'two terminals' });
  await wb.treeRow(VIEW, 'one').click();
  await wb.waitForTerminalText(/\[one\]/);
  assert.equal(await editor.tmux.attachedClients('one'), 1, 'no second client');
  assert.equal((await wb.terminalNames()).length, 2);

  // Enter on a row does the same.
  // Right-click puts the tree's focus on the row; the menu's Escape gives the keyboard back to the terminal.
  await wb.treeRow(VIEW, 'three').click({ button: 'right' });
  await wb.page.keyboard.press('Escape');
  await wb.runCommand('Plexus: Focus on Sessions View');
  await wb.page.keyboard.press('Enter');
  await waitFor(async () => (await editor.tmux.attachedClients('three')) === 1, { message: "'three' attached by Enter" });
  await wb.screenshot('attached');

  // Detach from the row: the terminal closes, the session runs on.
  await wb.clickInlineAction(VIEW, 'one', 'Detach');
  await waitFor(async () => !(await wb.terminalNames()).includes('one'), { message: "'one' terminal closed" });
  assert.match(await wb.waitForNotification(/Detached from 'one'/), /keeps running/);
  await waitFor(async () => (await editor.tmux.attachedClients('one')) === 0, { message: "'one' detached" });
  assert.ok(await editor.tmux.hasSession('one'));
  await wb.screenshot('detached-from-tree');

  // Detach from the terminal tab's context menu.
  await wb.terminalTab('two').click({ button: 'right' });
  await wb.pickMenuItem('Detach');
  await waitFor(async () => !(await wb.terminalNames()).includes('two'), { message: "'two' terminal closed" });
  await waitFor(async () => (await editor.tmux.attachedClients('two')) === 0, { message: "'two' detached" });
  assert.ok(await editor.tmux.hasSession('two'));
  await wb.screenshot('detached-from-tab');

  // Kill two sessions at once.
  await wb.treeRow(VIEW, 'one').click();
  // The click attaches 'one' again: its terminal opens and takes the focus, which closes a menu or a quick pick
  // open meanwhile. A user sees it open before selecting more.
  await wb.waitForTerminalText(/\[one\]/);
  await wb.treeRow(VIEW, 'two').click({ modifiers: ['Control'] });
  await wb.treeContextMenu(VIEW, 'two', 'Kill Session');
  assert.match(await wb.waitForDialog(), /Kill 2 sessions \('one', 'two'\)|Kill 2 sessions \('two', 'one'\)/);
  await wb.screenshot('kill-two');
  await wb.clickDialogButton('Kill');
  await waitFor(async () => (await editor.tmux.sessions()).sort().join() === 'keep,three', { message: 'one and two killed' });
  await wb.waitForNoTreeItem(VIEW, 'one');
  await wb.waitForNoTreeItem(VIEW, 'two');
  await wb.screenshot('killed');
});
