// Plexus end to end, in a real VS Code (code-server) driven by headless Chromium, each test on its
// own private tmux server. Screenshots of every checked state: test-results/e2e/<test>-<step>.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createSessionFromPalette, startPlexus, statusOf, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

test('WelcomeView_OffersCreateSession', async (t) => {
  const editor = await startPlexus('1-welcome');
  t.after(() => editor.close());
  const wb = editor.workbench;

  const text = await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });
  assert.match(text, /Create Session/);
  await wb.screenshot('welcome');

  // The button is live: it opens the create box.
  await wb.clickWelcomeButton(VIEW, 'Create Session');
  await wb.waitForQuickInputText('Session name');
  await wb.screenshot('create-box');
  await wb.closeQuickInput();
  assert.deepEqual(await editor.tmux.sessions(), []);
});

test('CreateSession_FromPalette_AppearsInTreeAndTerminalShowsOutput', async (t) => {
  const editor = await startPlexus('2-create');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  await createSessionFromPalette(wb, 'e2e-create', "printf 'hello from %s\\n' plexus-e2e; sleep 600");

  await wb.waitForTreeItem(VIEW, 'e2e-create');
  assert.ok(await editor.tmux.hasSession('e2e-create'), 'tmux has the session');
  await waitFor(async () => (await wb.terminalNames()).includes('e2e-create'), { message: "a terminal named 'e2e-create'" });
  await wb.waitForTerminalText(/hello from plexus-e2e/);
  await waitFor(async () => (await editor.tmux.attachedClients('e2e-create')) === 1, { message: 'one tmux client attached' });
  assert.match((await wb.waitForTreeItem(VIEW, 'e2e-create')).description, /attached/);
  await wb.screenshot('attached');
});

test('ExternalSession_AppearsInTreeWithoutRefresh', async (t) => {
  const editor = await startPlexus('3-external');
  t.after(() => editor.close());
  const wb = editor.workbench;
  // No tmux server runs on the private socket yet: the host must notice the one this starts.
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  await editor.tmux.newSession('made-outside', 'sleep 600');
  const started = Date.now();
  await wb.waitForTreeItem(VIEW, 'made-outside', { timeout: 5_000 });
  t.diagnostic(`first external session shown after ${Date.now() - started} ms`);
  await wb.screenshot('first');

  // A second one, now that the server runs; odd characters in the name are listed as they are.
  await editor.tmux.newSession('outside #2 é', 'sleep 600');
  await wb.waitForTreeItem(VIEW, 'outside #2 é', { timeout: 5_000 });
  assert.equal((await wb.treeItems(VIEW)).length, 2);
  await wb.screenshot('second');
});

test('Status_FakeAgentRunningThenWaiting_InTreeStatusBarAndNotification', async (t) => {
  const editor = await startPlexus('4-status');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  // A fake agent: works (prints) until the test creates `go`, then asks a yes/no question.
  const go = path.join(editor.root, 'go');
  const agent = `bash -c 'i=0; while [ ! -e ${go} ]; do i=$((i+1)); echo "working $i"; sleep 0.3; done; read -p "Continue? [y/N] " a'`;
  await createSessionFromPalette(wb, 'fake-agent', agent);

  const running = await waitFor(async () => {
    const item = (await wb.treeItems(VIEW)).find((row) => row.label === 'fake-agent');
    return statusOf(item) === 'running' ? item : undefined;
  }, { timeout: 15_000, message: "'fake-agent' running in the tree" });
  await wb.waitForTerminalText(/working \d+/);
  const runningEntry = await wb.waitForStatusBar(/#1 .*fake-agent/);
  assert.ok(runningEntry.icons.includes('codicon-circle-filled'), `running status bar icon: ${runningEntry.icons}`);
  await wb.screenshot('running');

  // The user works in another terminal, so the notification is not suppressed as "looking at it".
  await wb.runCommand('Terminal: Create New Terminal');
  fs.writeFileSync(go, '');

  const waiting = await waitFor(async () => {
    const item = (await wb.treeItems(VIEW)).find((row) => row.label === 'fake-agent');
    return statusOf(item) === 'waiting' ? item : undefined;
  }, { timeout: 15_000, message: "'fake-agent' waiting in the tree" });
  assert.notEqual(running.description, waiting.description);
  await wb.waitForStatusBar(/1 waiting/);
  const waitingEntry = await wb.waitForStatusBar(/#1 .*fake-agent/);
  assert.ok(waitingEntry.icons.includes('codicon-bell'), `waiting status bar icon: ${waitingEntry.icons}`);
  const notification = await wb.waitForNotification(/'fake-agent'/);
  assert.match(notification, /fake-agent/);
  await wb.screenshot('waiting');
});

test('Detach_KeepsSessionRunning_KillFromTreeRemovesOnlyIt', async (t) => {
  const editor = await startPlexus('5-detach-kill');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });
  // A sibling whose name starts with the victim's: kill must target exactly.
  await editor.tmux.newSession('victim-2', 'sleep 600');
  await wb.waitForTreeItem(VIEW, 'victim-2');

  await createSessionFromPalette(wb, 'victim', 'sleep 600');
  await waitFor(async () => (await wb.terminalNames()).includes('victim'), { message: "a terminal named 'victim'" });
  await waitFor(async () => (await editor.tmux.attachedClients('victim')) === 1, { message: "'victim' attached" });
  await wb.screenshot('attached');

  // Detach: close the terminal.
  await wb.runCommand('Terminal: Kill the Active Terminal Instance');
  await waitFor(async () => !(await wb.terminalNames()).includes('victim'), { message: "the 'victim' terminal closed" });
  await waitFor(async () => (await editor.tmux.attachedClients('victim')) === 0, { message: "'victim' detached" });
  assert.ok(await editor.tmux.hasSession('victim'), 'the session still runs after detach');
  await waitFor(async () => !/attached/.test((await wb.waitForTreeItem(VIEW, 'victim')).description),
    { message: "'victim' shown detached in the tree" });
  await wb.screenshot('detached');

  // Kill from the tree's context menu, with confirmation.
  await wb.treeContextMenu(VIEW, 'victim', 'Kill Session');
  const question = await wb.waitForDialog();
  assert.match(question, /Kill session 'victim'\?/);
  await wb.screenshot('confirm');
  await wb.clickDialogButton('Kill');

  await wb.waitForNoTreeItem(VIEW, 'victim');
  await waitFor(async () => !(await editor.tmux.hasSession('victim')), { message: "tmux without 'victim'" });
  assert.ok(await editor.tmux.hasSession('victim-2'), "'victim-2' survives the kill of 'victim'");
  await wb.waitForTreeItem(VIEW, 'victim-2');
  await wb.screenshot('killed');
});

test('CreateSession_InvalidName_ShowsValidationAndCreatesNothing', async (t) => {
  const editor = await startPlexus('6-invalid-name');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  await wb.runCommand('Plexus: Create Session');
  await wb.fillInput('bad:name', { prompt: 'Session name' });
  await wb.waitForQuickInputText(/cannot contain ':'/);
  assert.match(await wb.inputMessage(), /cannot contain ':'/);
  await wb.screenshot('colon');

  // Enter on an invalid name does not move on to the command step.
  await wb.submitInput();
  await wb.fillInput('bad.name');
  await wb.waitForQuickInputText(/cannot contain '\.'/);
  assert.doesNotMatch(await wb.quickInput.innerText(), /Command to run/);
  await wb.screenshot('dot');

  await wb.closeQuickInput();
  assert.deepEqual(await editor.tmux.sessions(), [], 'no session was created');
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/);
});
