import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmation, hookAgents, nothingToDo, outcome, tildify } from '../../extension/hookSetup';

const home = '/home/me';
const preview = { file: '/home/me/.claude/settings.json', current: '{}', proposed: '{"hooks": {}}', changed: true };

describe('Set Up Agent Hooks texts', () => {
  it('offers Claude Code and Gemini CLI, and Codex only to say why not', () => {
    assert.deepEqual(
      hookAgents.map((a) => a.agent),
      ['claude', 'gemini', 'codex'],
    );
  });

  it('writes the home folder as ~ only at a path boundary', () => {
    assert.equal(tildify('/home/me/.claude/settings.json', home), '~/.claude/settings.json');
    assert.equal(tildify('/home/mel/settings.json', home), '/home/mel/settings.json');
  });

  it('asks before writing, naming the file and the backup, or saying a new file is created', () => {
    assert.deepEqual(confirmation(preview, 'install', home), {
      message: 'Add Plexus’s hooks to ~/.claude/settings.json?',
      detail: 'A backup is kept as ~/.claude/settings.json.plexus-backup-<UTC time>. The diff shows every change.',
      action: 'Add Hooks',
    });
    assert.match(confirmation({ ...preview, current: null }, 'install', home).detail, /does not exist yet/);
    assert.equal(confirmation(preview, 'uninstall', home).message, 'Remove Plexus’s hooks from ~/.claude/settings.json?');
  });

  it('says what was done and where the backup is', () => {
    assert.equal(
      outcome({ file: preview.file, changed: true, backup: `${preview.file}.plexus-backup-20261130120000` }, 'uninstall', 'Claude Code', home),
      'Removed Plexus’s hooks from ~/.claude/settings.json. Backup: ~/.claude/settings.json.plexus-backup-20261130120000.',
    );
    assert.equal(nothingToDo(preview, 'install', home), 'Plexus’s hooks are already in ~/.claude/settings.json.');
  });
});
