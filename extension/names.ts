// Session name rules for create and rename, the same the host enforces (server/Plexus.Host/Tmux/SessionNameRules.cs,
// InvalidName): checked as the user types so the input box explains the problem before a request is sent.
// tests/data/session-names.json holds the vectors both implementations are tested against.

export const maxNameLength = 128;

/** Why a name is refused; the categories of tests/data/session-names.json and the host's NameProblemKind. */
export type NameProblemCategory = 'empty' | 'tooLong' | 'blank' | 'separator' | 'rewritten' | 'control' | 'invisible' | 'malformed';

export interface NameProblem {
  category: NameProblemCategory;
  /** What to change, for the input box. */
  message: string;
}

// Unicode White_Space: what .NET's char.IsWhiteSpace accepts, unlike JavaScript's \s (which adds U+FEFF).
const blank = /^\p{White_Space}+$/u;
// C0 and C1 controls and DEL: tmux rewrites them in names.
const control = /^\p{Cc}$/u;
// Format characters: zero-width, bidi marks, overrides and isolates, soft hyphen, tags. tmux keeps them, but the
// name then looks like another one or reads backwards.
const invisible = /^\p{Cf}$/u;

/** Why `name` cannot be a session name Plexus creates, or undefined when it can; the first offending character decides. */
export function sessionNameProblem(name: string): NameProblem | undefined {
  if (name.length === 0) {
    return { category: 'empty', message: 'Enter a name for the session.' };
  }
  // UTF-16 code units, as the host counts them.
  if (name.length > maxNameLength) {
    return { category: 'tooLong', message: `Use at most ${maxNameLength} characters (this name has ${name.length}).` };
  }
  if (blank.test(name)) {
    return { category: 'blank', message: 'Enter a name with something besides spaces.' };
  }
  for (const character of name) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      return { category: 'malformed', message: 'Remove the broken character from the name.' };
    }
    if (character === '.' || character === ':') {
      return { category: 'separator', message: `Names cannot contain '${character}' — tmux reads it as a target separator.` };
    }
    if (character === '$' || character === '\\') {
      return { category: 'rewritten', message: `Names cannot contain '${character}' — tmux would change it.` };
    }
    if (control.test(character)) {
      return { category: 'control', message: 'Remove the control characters from the name.' };
    }
    if (invisible.test(character)) {
      return { category: 'invisible', message: `Remove the invisible or text-direction character (${codePointLabel(codePoint)}) from the name.` };
    }
  }
  return undefined;
}

/** Why `name` cannot be a new session name, or undefined when it can. */
export function validateSessionName(name: string, existingNames: Iterable<string> = []): string | undefined {
  const problem = sessionNameProblem(name);
  if (problem) {
    return problem.message;
  }
  for (const existing of existingNames) {
    if (existing === name) {
      return `A session named '${name}' already exists. Choose another name.`;
    }
  }
  return undefined;
}

/** A free name like `base`, `base-2`, `base-3` … for the create box's default value. */
export function suggestSessionName(existingNames: Iterable<string>, base = 'agent'): string {
  const taken = new Set(existingNames);
  for (let i = 1; ; i++) {
    const candidate = `${base}-${i}`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}

/** "U+200B": how a character nobody can see is named to the user. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
