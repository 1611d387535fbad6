// The browser-hosted editor starts here at all: code-server answers, Chromium shows the workbench.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { startEditor } from '../lib/editor.mjs';

test('Workbench_OpensInHeadlessChromium', async (t) => {
  const editor = await startEditor({ name: 'smoke' });
  t.after(() => editor.close());
  const { workbench, page } = editor;

  const shot = await workbench.screenshot('workbench');

  assert.equal(await page.locator('.monaco-workbench').count(), 1);
  assert.ok((await workbench.statusBarItems()).length > 0, 'the status bar has items');
  assert.ok(fs.statSync(shot).size > 10_000, 'the screenshot is not blank');
  t.diagnostic(`code-server ready ${editor.timings.codeServerReadyMs} ms, workbench ready ${editor.timings.workbenchReadyMs} ms`);
});
