// Session name rules for create and rename, the same the host enforces (docs/protocol.md, InvalidName):
// checked as the user types so the input box explains the problem before a request is sent.

export const maxNameLength = 128;

// C0 and C1 controls and DEL: tmux rewrites them in names.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `name` cannot be a new session name, or undefined when it can. */
export function validateSessionName(name: string, existingNames: Iterable<string> = []): string | undefined {
  if (name.length === 0) {
    return 'Enter a name for the session.';
  }
  if (name.length > maxNameLength) {
    return `Use at most ${maxNameLength} characters (this name has ${name.length}).`;
  }
  if (controlCharacter.test(name)) {
    return 'Remove the control characters from the name.';
  }
  const forbidden = ['.', ':', '$', '\\'].filter((c) => name.includes(c));
  if (forbidden.length > 0) {
    return `Names cannot contain ${forbidden.map((c) => `'${c}'`).join(' or ')} — tmux would change or misread them.`;
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
