// "Plexus: Set Up Agent Hooks…" in the real editor: the change to the user's own Claude Code settings is shown as a
// diff and written only after the modal's confirmation, with a backup; removing takes out exactly Plexus's hooks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startPlexus } from '../lib/plexus.mjs';
import { waitFor } from '../lib/wait.mjs';

test('SetUpAgentHooks_ShowsTheDiff_AsksFirst_KeepsABackup_AndRemovesExactlyItsOwn', async (t) => {
  // The user's own Claude Code settings, with a hook of their own that must survive.
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'plexus-claude-config-'));
  t.after(() => fs.rmSync(config, { recursive: true, force: true }));
  const settings = path.join(config, 'settings.json');
  const original = `${JSON.stringify({ model: 'opus', hooks: { Stop: [{ matcher: '', hooks: [{ type: 'command', command: 'echo mine' }] }] } }, null, 2)}\n`;
  fs.writeFileSync(settings, original);
  const editor = await startPlexus('agent-hooks', {}, { env: { CLAUDE_CONFIG_DIR: config } });
  t.after(() => editor.close());
  const wb = editor.workbench;

  const choose = async (label, prompt) => {
    await wb.fillInput(label, { prompt });
    await wb.submitInput();
  };
  await wb.runCommand('Plexus: Set Up Agent Hooks…');
  await choose('Claude Code', /Set Up Agent Hooks \(1\/2\)/);
  await choose('Install Hooks', /Set Up Agent Hooks \(2\/2\)/);

  const question = await wb.waitForDialog({ timeout: 15_000 });
  assert.match(question, /Add Plexus’s hooks to .*settings\.json\?/);
  assert.match(question, /backup/i);
  await waitFor(async () => (await wb.editorTabs()).some((tab) => /settings\.json: current ↔ with Plexus’s hooks/.test(tab)),
    { message: 'the diff of current and proposed settings' });
  assert.equal(fs.readFileSync(settings, 'utf8'), original, 'nothing is written before the user confirms');
  await wb.screenshot('install-diff-and-question');

  await wb.clickDialogButton('Add Hooks');
  await wb.waitForNotification(/settings\.json/);
  const installed = JSON.parse(fs.readFileSync(settings, 'utf8'));
  assert.equal(installed.model, 'opus');
  assert.ok(JSON.stringify(installed.hooks.Stop).includes('echo mine'), "the user's own hook stays");
  assert.ok(JSON.stringify(installed.hooks.PermissionRequest).includes('@plexus_hook'), "Plexus's hooks are in");
  const backups = fs.readdirSync(config).filter((name) => name.startsWith('settings.json.plexus-backup-'));
  assert.equal(backups.length, 1);
  assert.equal(fs.readFileSync(path.join(config, backups[0]), 'utf8'), original);
  await wb.screenshot('installed');

  await wb.runCommand('Plexus: Set Up Agent Hooks…');
  await choose('Claude Code', /Set Up Agent Hooks \(1\/2\)/);
  await choose('Remove Hooks', /Set Up Agent Hooks \(2\/2\)/);
  await wb.waitForDialog({ timeout: 15_000 });
  await wb.clickDialogButton('Remove Hooks');
  await waitFor(() => !fs.readFileSync(settings, 'utf8').includes('@plexus_hook'), { message: "Plexus's hooks removed" });
  assert.deepEqual(JSON.parse(fs.readFileSync(settings, 'utf8')), JSON.parse(original));
});
