// Features checked by hand once and kept from regressing: renames followed everywhere, the welcome view
// when tmux is missing. Screenshots: test-results/e2e/<test>-<step>.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionFromPalette, startPlexus, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

test('RenameFromTree_TreeStatusBarAndTerminalFollow', async (t) => {
  const editor = await startPlexus('7-rename');
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });
  await createSessionFromPalette(wb, 'before', 'sleep 600');
  await waitFor(async () => (await wb.terminalNames()).includes('before'), { message: "a terminal named 'before'" });
  await wb.waitForStatusBar(/#1 .*before/);

  await wb.treeContextMenu(VIEW, 'before', 'Rename Session…');
  await wb.fillInput('after', { prompt: 'New name' });
  await wb.submitInput();

  await wb.waitForTreeItem(VIEW, 'after');
  await waitFor(async () => (await editor.tmux.sessions()).join() === 'after', { message: "tmux has only 'after'" });
  await wb.waitForStatusBar(/#1 .*after/);
  await waitFor(async () => (await wb.terminalNames()).includes('after'), { message: "the terminal renamed to 'after'" });
  await wb.screenshot('renamed');

  // A rename made outside Plexus is followed the same way.
  await editor.tmux.run('rename-session', '-t', '=after', 'outside');
  await wb.waitForTreeItem(VIEW, 'outside');
  await wb.waitForStatusBar(/#1 .*outside/);
  await waitFor(async () => (await wb.terminalNames()).includes('outside'), { message: "the terminal renamed to 'outside'" });
  assert.equal(await editor.tmux.attachedClients('outside'), 1, 'still the one terminal attached');
  await wb.screenshot('renamed-outside');
});

test('TmuxMissing_WelcomeViewExplains', async (t) => {
  const editor = await startPlexus('8-tmux-missing', { 'plexus.tmux.path': '/nonexistent/tmux' });
  t.after(() => editor.close());
  const wb = editor.workbench;

  const text = await wb.waitForWelcomeText(VIEW, /tmux is not installed/, { timeout: 30_000 });
  assert.match(text, /Retry/);
  await wb.waitForStatusBar(/Plexus/);
  await wb.screenshot('welcome');
});
