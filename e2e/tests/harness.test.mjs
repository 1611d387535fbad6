// The harness itself, against a tiny fixture extension (e2e/fixtures/hello-extension): palette,
// validated input box, notification, status bar, terminal text. If this fails, the Plexus tests'
// failures say nothing about Plexus.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { E2E_DIR } from '../lib/codeServer.mjs';
import { startEditor } from '../lib/editor.mjs';

test('Harness_ReadsPaletteInputNotificationStatusBarAndTerminal', async (t) => {
  const editor = await startEditor({ name: 'harness', extension: path.join(E2E_DIR, 'fixtures', 'hello-extension') });
  t.after(() => editor.close());
  const wb = editor.workbench;
  await wb.waitForStatusBar(/e2e-hello ready/, { timeout: 30_000 });

  await wb.runCommand('E2E Hello: Greet');
  await wb.fillInput('Bad1');
  await wb.waitForQuickInputText('Lowercase letters only');
  assert.equal(await wb.inputMessage(), 'Lowercase letters only');
  await wb.screenshot('1-validation');

  await wb.fillInput('bob');
  await wb.submitInput();
  await wb.waitForNotification('Hello, bob!');
  await wb.waitForStatusBar('greeted bob');
  await wb.waitForTerminalText(/^hello-from-terminal-bob$/m, { timeout: 30_000 });
  assert.deepEqual(await wb.terminalNames(), ['hello bob']);
  await wb.screenshot('2-greeted');
});
