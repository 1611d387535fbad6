import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { maxNameLength, sessionNameProblem, suggestSessionName, validateSessionName } from '../../extension/names';

// The vectors tests/Plexus.Host.Tests checks the host's SessionNameRules against: both sides must agree.
interface Vector {
  name?: string;
  /** UTF-16 code units, for names a JSON reader refuses as a string (unpaired surrogates). */
  utf16?: number[];
  why?: string;
  category?: string;
}
interface Vectors {
  maxLength: number;
  accept: Vector[];
  reject: Vector[];
}

// out/ts-tests/unit/names.test.js → the repository root
const vectorsPath = path.resolve(__dirname, '..', '..', '..', 'tests', 'data', 'session-names.json');
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Vectors;
const nameOf = (vector: Vector) => (vector.utf16 ? String.fromCharCode(...vector.utf16) : (vector.name ?? ''));
/** A test title that shows what is in the name: printable ASCII as is, everything else as \uXXXX. */
const label = (name: string) => {
  const escaped = (text: string) => text.replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${name.length > 24 ? `${escaped(name.slice(0, 12))}…(${name.length})` : escaped(name)}"`;
};

describe('sessionNameProblem against tests/data/session-names.json', () => {
  it('uses the maximum length the vectors use', () => {
    assert.equal(maxNameLength, vectors.maxLength);
  });

  for (const vector of vectors.accept) {
    const name = nameOf(vector);
    it(`accepts ${label(name)}: ${vector.why ?? ''}`, () => {
      assert.equal(sessionNameProblem(name), undefined);
    });
  }

  for (const vector of vectors.reject) {
    const name = nameOf(vector);
    it(`rejects ${label(name)} as ${vector.category ?? '?'}`, () => {
      assert.equal(sessionNameProblem(name)?.category, vector.category);
    });
  }
});

describe('validateSessionName', () => {
  it('explains what to change for each kind of problem', () => {
    assert.match(validateSessionName('') ?? '', /Enter a name/);
    assert.match(validateSessionName('   ') ?? '', /besides spaces/);
    assert.match(validateSessionName('a.b') ?? '', /'\.'/);
    assert.match(validateSessionName('a\\b') ?? '', /'\\'/);
    assert.match(validateSessionName('a\tb') ?? '', /control characters/);
    assert.match(validateSessionName('a\u200bb') ?? '', /invisible .*U\+200B/);
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
