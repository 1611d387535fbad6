// Hook setup through the real host, as "Set Up Agent Hooks…" drives it: preview, then apply what was previewed.
// HOME is a throw-away folder; the host never touches tmux for these requests (its socket name is private anyway).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { errorCode, spawnHost, type PlexusClient } from '../../extension/client';
import { ErrorCodes } from '../../extension/protocol';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const hostPath = process.env.PLEXUS_HOST_PATH || path.join(repoRoot, 'out', 'server', 'plexus-host');
const skip = existsSync(hostPath) ? false : `the host is not built at ${hostPath} — run ./plexus build first`;
if (skip && process.env.PLEXUS_REQUIRE_HOST) {
  throw new Error(`PLEXUS_REQUIRE_HOST is set but ${skip}`);
}

function startHost(t: TestContext): { client: PlexusClient; home: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'plexus-ts-hooks-'));
  const env = { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: '', GEMINI_CLI_HOME: '' };
  const host = spawnHost({ hostPath, tmuxSocketName: `plexus-ts-test-${randomBytes(4).toString('hex')}`, cwd: home, env });
  t.after(() => {
    host.child.kill('SIGKILL');
    host.client.dispose();
    rmSync(home, { recursive: true, force: true });
  });
  return { client: host.client, home };
}

describe('agents/previewHooks and agents/applyHooks', { skip }, () => {
  it('installs into the user’s Gemini settings, keeping their keys, then removes exactly what it added', async (t) => {
    const { client, home } = startHost(t);
    const file = path.join(home, '.gemini', 'settings.json');
    mkdirSync(path.dirname(file));
    const original = '{\n  "theme": "dark"\n}\n';
    writeFileSync(file, original);

    const preview = await client.previewHooks('gemini', 'install');
    assert.equal(preview.file, file);
    assert.equal(preview.current, original);
    assert.equal(readFileSync(file, 'utf8'), original, 'a preview writes nothing');

    const installed = await client.applyHooks('gemini', 'install', preview.current);
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { theme: string; hooks: Record<string, unknown> };
    assert.equal(settings.theme, 'dark');
    assert.ok(Object.keys(settings.hooks).includes('AfterAgent'));
    assert.equal(readFileSync(installed.backup!, 'utf8'), original);

    const removal = await client.previewHooks('gemini', 'uninstall');
    await client.applyHooks('gemini', 'uninstall', removal.current);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('creates a missing file, and refuses a write the preview did not show', async (t) => {
    const { client, home } = startHost(t);
    const preview = await client.previewHooks('claude', 'install');
    assert.equal(preview.current, null);

    const created = await client.applyHooks('claude', 'install', null);
    assert.equal(created.backup, undefined);
    assert.ok(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8').includes('@plexus_hook'));

    await assert.rejects(client.applyHooks('claude', 'uninstall', preview.current), (error) => errorCode(error) === ErrorCodes.SettingsChanged);
  });
});
