import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxNameLength, suggestSessionName, validateSessionName } from '../../extension/names';

describe('validateSessionName', () => {
  it('accepts names tmux keeps as they are, including spaces, unicode and #', () => {
    for (const name of ['coder', 'coder-1', 'my agent', 'ünïcødé-🚀', 'task #3', 'a'.repeat(maxNameLength)]) {
      assert.equal(validateSessionName(name), undefined, name);
    }
  });

  it('rejects an empty name', () => {
    assert.match(validateSessionName('') ?? '', /Enter a name/);
  });

  it('rejects the characters tmux changes or misreads as targets', () => {
    for (const [name, shown] of [
      ['a.b', "'.'"],
      ['a:b', "':'"],
      ['$x', "'$'"],
      ['a\\b', "'\\'"],
    ]) {
      assert.match(validateSessionName(name) ?? '', new RegExp(shown.replace(/[\\$.]/g, '\\$&')), name);
    }
  });

  it('rejects control characters', () => {
    for (const name of ['a\tb', 'a\nb', 'a\u0000', 'a\u007f', 'a\u009b']) {
      assert.match(validateSessionName(name) ?? '', /control characters/, JSON.stringify(name));
    }
  });

  it('rejects names over 128 characters', () => {
    assert.match(validateSessionName('a'.repeat(maxNameLength + 1)) ?? '', /at most 128/);
  });

  it('rejects a name that is taken, but not a prefix of one', () => {
    assert.match(validateSessionName('coder', ['coder', 'coder-1']) ?? '', /already exists/);
    assert.equal(validateSessionName('code', ['coder', 'coder-1']), undefined);
  });
});

describe('suggestSessionName', () => {
  it('suggests the first free numbered name', () => {
    assert.equal(suggestSessionName([]), 'agent-1');
    assert.equal(suggestSessionName(['agent-1', 'agent-2', 'agent-4']), 'agent-3');
  });
});
