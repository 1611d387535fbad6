// The manifest as VS Code reads it: activation, commands and menus. Run from the repository root.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface Contribution {
  command: string;
  when?: string;
  group?: string;
  category?: string;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  activationEvents: string[];
  contributes: { commands: Contribution[]; menus: Record<string, Contribution[]> };
};
const sources = readdirSync('extension').map((file) => readFileSync(join('extension', file), 'utf8'));

describe('manifest', () => {
  it('activates once startup finished, so the status bar and notifications work with the view closed', () => {
    // Commands and views activate the extension by themselves since VS Code 1.74.
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
  });

  it('declares every registered command, in the Plexus category', () => {
    const registered = sources.flatMap((text) => [...text.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));
    const declared = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
    for (const command of registered) {
      assert.equal(declared.get(command)?.category, 'Plexus', command);
    }
  });

  it('offers Detach inline on rows with a terminal and in the terminal tab menu', () => {
    const menus = manifest.contributes.menus;
    // The rows' own command: it never falls back to the active terminal when VS Code loses the row.
    const inline = menus['view/item/context'].find((m) => m.command === 'plexus.detachSessionRow' && m.group?.startsWith('inline'));
    assert.match(inline?.when ?? '', /viewItem =~ \/\\\.terminal\$\//);
    assert.ok(menus['terminal/title/context'].some((m) => m.command === 'plexus.detachSession'));
    assert.ok(!menus['view/item/context'].some((m) => m.command === 'plexus.detachSession'), 'rows use their own Detach');
    assert.ok(menus.commandPalette.some((m) => m.command === 'plexus.detachSessionRow' && m.when === 'false'), 'the rows\' Detach is not in the palette');
  });

  it('never tells the user to run dotnet publish', () => {
    for (const text of sources) {
      assert.doesNotMatch(text, /dotnet publish/);
    }
  });
});
