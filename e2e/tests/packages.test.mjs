// The VSIXes `./plexus package` builds, installed into a real VS Code on a machine without .NET: the editor runs
// in a private mount namespace whose .NET folder is empty (withoutDotnet), so neither the `dotnet` on PATH nor
// .NET's default location finds a runtime. The linux-x64 VSIX's native host needs none and lists the sessions;
// the universal VSIX's framework-dependent host cannot start, and Plexus says what is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_DIR, withoutDotnet } from '../lib/codeServer.mjs';
import { startEditor } from '../lib/editor.mjs';
import { VIEW, VIEW_CONTAINER } from '../lib/plexus.mjs';

const NATIVE_VSIX = path.join(REPO_DIR, 'plexus-vscode-linux-x64.vsix');
const UNIVERSAL_VSIX = path.join(REPO_DIR, 'plexus-vscode.vsix');

function assertPackaged(file) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing — run ./plexus package first`);
}

/** Starts the editor with `vsix` installed and .NET hidden, and opens the Plexus view. */
async function startWithoutDotnet(name, vsix) {
  assertPackaged(vsix);
  const editor = await startEditor({ name, extension: vsix, tmux: true, hideDotnet: true, settings: { 'plexus.status.idleAfterSeconds': 1 } });
  await editor.workbench.openViewContainer(VIEW_CONTAINER);
  await editor.workbench.viewPane(VIEW).waitFor({ state: 'visible', timeout: 15_000 });
  return editor;
}

// Hiding .NET takes a private mount namespace, which only root may make (CI runs as root: it installs packages).
const namespaceProbe = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']);
const noNamespace = namespaceProbe.status === 0 ? false : `no private mount namespace here (unshare: ${String(namespaceProbe.stderr ?? namespaceProbe.error).trim()}); run as root`;

test('NoDotnet_TheEditorReallyHasNoRuntime', { skip: noNamespace }, () => {
  // The premise of the two tests below: inside the namespace, `dotnet` cannot run.
  const [command, args] = withoutDotnet(true, 'sh', ['-c', 'dotnet --list-runtimes']);
  assert.equal(command, 'unshare', 'a dotnet on PATH to hide');
  const hidden = spawnSync(command, args, { encoding: 'utf8' });
  const visible = spawnSync('sh', ['-c', 'dotnet --list-runtimes'], { encoding: 'utf8' });

  assert.equal(visible.status, 0, 'dotnet runs outside the namespace');
  assert.notEqual(hidden.status, 0, `dotnet still ran inside the namespace: ${hidden.stdout}`);
});

test('NativeVsix_WithoutDotnet_ListsTheSessions', { skip: noNamespace }, async (t) => {
  const editor = await startWithoutDotnet('vsix-native', NATIVE_VSIX);
  t.after(() => editor.close());
  const wb = editor.workbench;

  await editor.tmux.newSession('native-one', 'sleep 600');
  await editor.tmux.newSession('native-two', 'sleep 600');

  await wb.waitForTreeItem(VIEW, 'native-one', { timeout: 30_000 });
  await wb.waitForTreeItem(VIEW, 'native-two');
  await wb.screenshot('sessions');
});

test('UniversalVsix_WithoutDotnet_SaysTheRuntimeIsMissing', { skip: noNamespace }, async (t) => {
  const editor = await startWithoutDotnet('vsix-universal', UNIVERSAL_VSIX);
  t.after(() => editor.close());
  const wb = editor.workbench;

  const welcome = await wb.waitForWelcomeText(VIEW, /needs the \.NET 10 runtime/, { timeout: 30_000 });
  const notification = await wb.waitForNotification(/needs the \.NET 10 runtime/);
  await wb.screenshot('runtime-missing');

  assert.match(welcome, /dot\.net\/download/);
  assert.match(welcome, /linux-x64/);
  assert.match(notification, /install the Plexus build for your platform/);
  assert.deepEqual(await wb.notificationButtons(/needs the \.NET 10 runtime/), ['Retry', 'Show Host Log']);
});
