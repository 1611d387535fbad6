// Nothing lost when the tmux server goes (issue 11): sessions created in the editor are remembered, show in the
// "Not Running" view once the server is killed, with one notification, and Restore brings them back by name.
// Screenshots: test-results/e2e/restore-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSessionFromPalette, startPlexus, statusOf, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

const NOT_RUNNING = 'Not Running';

test('KillServer_NotRunningViewAndNotification_RestoreBringsBothBackByName', async (t) => {
  // The records live in the host's state folder: a throw-away one, never the user's.
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'plexus-e2e-state-'));
  const editor = await startPlexus('restore', {}, { env: { XDG_STATE_HOME: state } });
  // The folder goes after the editor: its host saves scrollbacks there as it shuts down.
  t.after(async () => { await editor.close(); fs.rmSync(state, { recursive: true, force: true }); });
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  await createSessionFromPalette(wb, 'alpha', 'sleep 600');
  await createSessionFromPalette(wb, 'beta', "bash -c 'echo beta is here; sleep 600'");
  await wb.waitForTreeItem(VIEW, 'alpha');
  await wb.waitForTreeItem(VIEW, 'beta');
  await wb.screenshot('before-kill-server');

  // The server goes from outside, as with a reboot or a tmux crash.
  await editor.tmux.run('kill-server');
  await wb.waitForNoTreeItem(VIEW, 'alpha', { timeout: 30_000 });
  await wb.viewPane(NOT_RUNNING).waitFor({ state: 'visible', timeout: 15_000 });
  const alpha = await wb.waitForTreeItem(NOT_RUNNING, 'alpha');
  const beta = await wb.waitForTreeItem(NOT_RUNNING, 'beta');
  const message = await wb.waitForNotification(/2 Plexus sessions are not running/, { timeout: 20_000 });
  assert.match(alpha.description, /^sleep 600 · stopped /);
  assert.match(beta.description, /^bash -c 'echo beta is here; sleep 600' · stopped /);
  assert.deepEqual(await wb.notificationButtons(/2 Plexus sessions are not running/), ['Restore', 'Show']);
  assert.equal((await wb.notifications()).filter((text) => /not running/.test(text)).length, 1, `one notification: ${message}`);
  await wb.screenshot('not-running');

  await wb.clickNotificationButton(/2 Plexus sessions are not running/, 'Restore');
  await wb.waitForTreeItem(VIEW, 'alpha', { timeout: 30_000 });
  await wb.waitForTreeItem(VIEW, 'beta', { timeout: 30_000 });
  await waitFor(async () => (await wb.viewPane(NOT_RUNNING).count()) === 0, { timeout: 15_000, message: 'the Not Running view gone' });
  assert.deepEqual((await editor.tmux.sessions()).sort(), ['alpha', 'beta'], 'both run again on the private server');
  await waitFor(async () => /beta is here/.test(await editor.tmux.capturePane('beta')), { message: "beta's command ran again" });
  await wb.screenshot('restored');
});

test('KillInPlexus_NotificationOffersUndo_UndoPutsItInNotRunning_RestoreBringsItBack', async (t) => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'plexus-e2e-state-'));
  const editor = await startPlexus('restore-undo-kill', {}, { env: { XDG_STATE_HOME: state } });
  t.after(async () => { await editor.close(); fs.rmSync(state, { recursive: true, force: true }); });
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });
  await createSessionFromPalette(wb, 'gamma', 'sleep 600');
  // Settled first: a row redrawn (running -> idle) while its menu opens can lose the menu.
  await waitFor(async () => statusOf(await wb.waitForTreeItem(VIEW, 'gamma')) === 'idle', { timeout: 20_000, message: 'gamma idle' });

  await wb.clickInlineAction(VIEW, 'gamma', 'Kill Session');
  await wb.waitForDialog();
  await wb.clickDialogButton('Kill');
  await wb.waitForNotification("Killed 'gamma'; Plexus forgot it.");
  assert.deepEqual(await wb.notificationButtons(/Killed 'gamma'/), ['Undo']);
  assert.equal(await wb.viewPane(NOT_RUNNING).count(), 0, 'forgotten: nothing not running');
  assert.deepEqual((await wb.notifications()).filter((text) => /not running/.test(text)), [], 'a kill offers no Restore');
  await wb.screenshot('killed');

  await wb.clickNotificationButton(/Killed 'gamma'/, 'Undo');
  await wb.viewPane(NOT_RUNNING).waitFor({ state: 'visible', timeout: 15_000 });
  assert.match((await wb.waitForTreeItem(NOT_RUNNING, 'gamma')).description, /^sleep 600 · stopped /);
  await wb.screenshot('undone');

  await wb.clickInlineAction(NOT_RUNNING, 'gamma', 'Restore Session');
  await wb.waitForTreeItem(VIEW, 'gamma', { timeout: 30_000 });
  assert.ok(await editor.tmux.hasSession('gamma'), 'gamma runs again');
  assert.deepEqual((await wb.notifications()).filter((text) => /not running/.test(text)), [], 'neither kill nor Undo offers Restore');
  await wb.screenshot('restored');
});
