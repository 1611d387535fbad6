// The words of "Set Up Agent Hooks…": which agents, what each choice does, what to confirm and what was done.
// Free of the `vscode` import so node tests can check it.
import type { AgentKind, ApplyHooksResult, HookChange, HooksPreview } from './protocol';

export interface HookAgent {
  agent: AgentKind | 'codex';
  label: string;
  /** Where its settings live by default (the host says the real path). */
  file: string;
  detail: string;
}

export const hookAgents: readonly HookAgent[] = [
  {
    agent: 'claude',
    label: 'Claude Code',
    file: '~/.claude/settings.json',
    detail: 'Adds Plexus’s hooks to your Claude Code settings: a claude you start yourself in tmux reports its status at once.',
  },
  {
    agent: 'gemini',
    label: 'Gemini CLI',
    file: '~/.gemini/settings.json',
    detail: 'Adds Plexus’s hooks to your Gemini CLI settings: a gemini you start yourself in tmux reports its status at once.',
  },
  {
    agent: 'codex',
    label: 'Codex CLI (not offered)',
    file: '~/.codex',
    detail: 'Codex runs hooks only after you trust them in Codex (/hooks); Plexus reads its pane title instead.',
  },
];

export const codexExplanation =
  'Plexus does not set up Codex hooks: Codex runs hooks only after you review and trust them in Codex itself (/hooks), and keeps that trust in its own config. Plexus follows Codex through its pane title and screen instead.';

export const hookChanges: readonly { change: HookChange; label: string; detail: string }[] = [
  { change: 'install', label: 'Install Hooks', detail: 'Add Plexus’s hooks; your other hooks and settings stay. Installing again replaces only Plexus’s own.' },
  { change: 'uninstall', label: 'Remove Hooks', detail: 'Take out exactly Plexus’s hooks (commands that set @plexus_hook), nothing else.' },
];

/** `path` with the home folder written as `~`. */
export function tildify(path: string, home: string): string {
  return home && (path === home || path.startsWith(home + '/')) ? '~' + path.slice(home.length) : path;
}

/** The modal's question and detail before anything is written. */
export function confirmation(preview: HooksPreview, change: HookChange, home: string): { message: string; detail: string; action: string } {
  const file = tildify(preview.file, home);
  const backup = preview.current === null ? 'The file does not exist yet: it will be created.' : `A backup is kept as ${file}.plexus-backup-<UTC time>.`;
  return change === 'install'
    ? { message: `Add Plexus’s hooks to ${file}?`, detail: `${backup} The diff shows every change.`, action: 'Add Hooks' }
    : { message: `Remove Plexus’s hooks from ${file}?`, detail: `${backup} The diff shows every change.`, action: 'Remove Hooks' };
}

/** Why there is nothing to do. */
export function nothingToDo(preview: HooksPreview, change: HookChange, home: string): string {
  const file = tildify(preview.file, home);
  return change === 'install' ? `Plexus’s hooks are already in ${file}.` : `${file} has no Plexus hooks to remove.`;
}

/** What was done, after the host wrote the file. */
export function outcome(result: ApplyHooksResult, change: HookChange, agentLabel: string, home: string): string {
  const file = tildify(result.file, home);
  if (!result.changed) {
    return `${file} needed no change.`;
  }
  const backup = result.backup ? ` Backup: ${tildify(result.backup, home)}.` : '';
  return change === 'install'
    ? `Added Plexus’s hooks to ${file}.${backup} ${agentLabel} sessions started from now on report their status through them.`
    : `Removed Plexus’s hooks from ${file}.${backup}`;
}
