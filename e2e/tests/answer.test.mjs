// Answering an agent from the notification, without attaching: the real Claude Code, offline against the mock
// model of tests/agents, asks to run a shell command; "Allow" in Plexus's notification answers its real menu.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { prepareAgent, TOOLS } from '../../tests/agents/agents.mjs';
import { startMockModel } from '../../tests/agents/mockModel.mjs';
import { createSessionFromPalette, startPlexus, statusOf, VIEW } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

/** Single-quoted for sh: the command line is typed into Create Session, which runs it through the shell. */
const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;

test('Answer_AllowInTheNotification_ApprovesARealClaudeCodePermissionPrompt', async (t) => {
  const mock = await startMockModel();
  t.after(() => mock.close());
  const claude = prepareAgent('claude', { mockUrl: mock.url });
  t.after(() => fs.rmSync(claude.root, { recursive: true, force: true }));
  // The editor opens the agent's throw-away project, which its config already trusts; the session starts there.
  const editor = await startPlexus('answer-claude', { 'plexus.status.idleAfterSeconds': 3 }, { folder: claude.cwd });
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForWelcomeText(VIEW, /No tmux sessions yet/, { timeout: 30_000 });

  // What a user would type: the agent's variables, then `claude` (the research hooks of the harness left out:
  // only the hooks Plexus attaches itself are in play).
  const program = claude.argv.slice(0, claude.argv.indexOf('--settings'));
  const variables = Object.entries(claude.env).map(([key, value]) => quote(`${key}=${value}`));
  await createSessionFromPalette(wb, 'claude-answer', ['env', ...variables, ...program.map(quote)].join(' '));
  const idle = await waitFor(async () => {
    const item = (await wb.treeItems(VIEW)).find((row) => row.label === 'claude-answer');
    return statusOf(item) === 'idle' ? item : undefined;
  }, { timeout: 60_000, message: "'claude-answer' idle at its input" });
  t.diagnostic(`tree: ${idle.description}`);

  // Notifications are never shown for the terminal the user is looking at: close it (that only detaches).
  await wb.runCommand('Terminal: Kill the Active Terminal Instance');
  await waitFor(async () => (await editor.tmux.attachedClients('claude-answer')) === 0, { message: 'the terminal detached' });

  mock.push('anthropic', { kind: 'tool', ...TOOLS.claude.permission }, { kind: 'text', text: 'After the permission.' });
  await editor.tmux.run('send-keys', '-t', '=claude-answer:', '-l', 'Run the command');
  await editor.tmux.run('send-keys', '-t', '=claude-answer:', 'Enter');

  const message = await wb.waitForNotification(/claude-answer/, { timeout: 30_000 });
  t.diagnostic(`notification: ${message}`);
  assert.match(message, /permission|asks|wants/i);
  assert.match(await editor.tmux.run('capture-pane', '-p', '-t', '=claude-answer:'), /Do you want to proceed\?/);
  await wb.screenshot('before-allow');

  await wb.clickNotificationButton(/claude-answer/, 'Allow');

  const marker = path.join(claude.cwd, 'marker-from-claude');
  await waitFor(() => fs.existsSync(marker), { timeout: 20_000, message: 'the approved command ran (marker file)' });
  await waitFor(async () => /After the permission/.test(await editor.tmux.run('capture-pane', '-p', '-t', '=claude-answer:')),
    { timeout: 20_000, message: 'Claude went on after the answer' });
  await waitFor(async () => statusOf((await wb.treeItems(VIEW)).find((row) => row.label === 'claude-answer')) === 'idle',
    { timeout: 20_000, message: "'claude-answer' idle again" });
  await wb.screenshot('after-allow');
});
