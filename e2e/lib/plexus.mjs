// The Plexus extension in a real editor, on a private tmux server per test.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './codeServer.mjs';
import { startEditor } from './editor.mjs';

/**
 * What the tests install: PLEXUS_E2E_EXTENSION (a .vsix or a built folder), else the repo itself,
 * which must be built (`./plexus build`).
 * PLEXUS_E2E_HOST_PATH, when set, goes to the `plexus.host.path` setting.
 */
export const EXTENSION = process.env.PLEXUS_E2E_EXTENSION || REPO_DIR;
export const HOST_PATH = process.env.PLEXUS_E2E_HOST_PATH || undefined;

export const VIEW_CONTAINER = 'Plexus';
export const VIEW = 'Sessions';

/** Throws a readable error when the repo is not built (the e2e tests never build it themselves). */
export function assertBuilt() {
  if (EXTENSION.endsWith('.vsix')) {
    if (!fs.existsSync(EXTENSION)) throw new Error(`PLEXUS_E2E_EXTENSION=${EXTENSION} does not exist`);
    return;
  }
  const missing = [path.join(EXTENSION, 'dist', 'extension.js')];
  if (!HOST_PATH) missing.push(path.join(EXTENSION, 'out', 'server', 'plexus-host'));
  const absent = missing.filter((file) => !fs.existsSync(file));
  if (absent.length) {
    throw new Error(`Build the product before the e2e tests: missing ${absent.join(', ')} `
      + '— run ./plexus build');
  }
}

/**
 * Starts the editor with Plexus on a fresh private tmux server (`plexus.tmux.socketName`) and
 * opens the Plexus view.
 * @param {string} name test name (screenshot prefix)
 * @param {Record<string, unknown>} [settings] extra settings
 * @param {{ folder?: string, openView?: boolean, env?: Record<string, string> }} [options] folder: the workspace
 *   to open (default: an empty one); openView: false leaves the Explorer showing; env: extra environment
 */
export async function startPlexus(name, settings = {}, { folder, openView = true, env } = {}) {
  assertBuilt();
  const editor = await startEditor({
    name,
    extension: EXTENSION,
    tmux: true,
    folder,
    env,
    settings: {
      // Short thresholds, as the status tests of the host use: states settle within seconds.
      'plexus.status.idleAfterSeconds': 1,
      ...(HOST_PATH ? { 'plexus.host.path': HOST_PATH } : {}),
      ...settings,
    },
  });
  const { workbench } = editor;
  if (!workbench) throw new Error('startEditor returned an editor without a workbench');
  if (!openView) return editor;
  try {
    await workbench.openViewContainer(VIEW_CONTAINER);
    await workbench.viewPane(VIEW).waitFor({ state: 'visible', timeout: 15_000 });
  } catch (error) {
    await workbench.screenshot('failed-to-open-view').catch(() => {});
    await editor.close({ failOnLeftovers: false });
    throw error;
  }
  return editor;
}

/**
 * Creates a session through the palette as a user would: "Plexus: Create Session", the name box,
 * then the command box.
 */
export async function createSessionFromPalette(workbench, name, command) {
  await workbench.runCommand('Plexus: Create Session');
  await workbench.fillInput(name, { prompt: 'Session name' });
  await workbench.submitInput();
  await workbench.fillInput(command, { prompt: 'Command to run' });
  await workbench.submitInput();
}

/** A tree row's status: the first word of its description ("running · 3s · …"). */
export function statusOf(item) {
  return item?.description.split(' · ')[0];
}
