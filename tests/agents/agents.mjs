// How to start each real agent offline: a throw-away HOME with the config that makes it start straight into its
// input box (onboarded, trusted, pointed at the mock model), hooks that record every event, and the argv + env
// for a tmux pane. See /work/shared/notes/real-agents-here.md for where each setting comes from.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const version = (pkg) => JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')).version;

/**
 * @typedef {{ name: 'claude' | 'codex' | 'gemini', version: string, api: 'anthropic' | 'openai' | 'gemini',
 *   root: string, home: string, cwd: string, hookLog: string, argv: string[], env: Record<string, string> }} AgentRun
 */

export const AGENTS = /** @type {const} */ (['claude', 'codex', 'gemini']);

/** The hook events each agent is configured to report (every one its version knows, except per-model-call ones). */
export const HOOK_EVENTS = {
  claude: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PermissionDenied', 'PostToolUse',
    'PostToolUseFailure', 'Notification', 'Stop', 'StopFailure', 'SubagentStart', 'SubagentStop', 'PreCompact',
    'PostCompact', 'Elicitation', 'ElicitationResult', 'SessionEnd'],
  codex: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop', 'Interrupt',
    'SubagentStart', 'SubagentStop', 'PreCompact', 'PostCompact', 'SessionEnd'],
  gemini: ['SessionStart', 'SessionEnd', 'BeforeAgent', 'AfterAgent', 'BeforeTool', 'AfterTool', 'Notification',
    'PreCompress'],
};

/**
 * A hook command that appends `{event, t, payload}` as one JSON line to the log and marks the pane with
 * `@plexus-hook` (hooks inherit the pane's environment, so $TMUX/$TMUX_PANE name this server and pane).
 */
function writeHookScript(root, hookLog) {
  const path = join(root, 'hook.sh');
  writeFileSync(path, `#!/bin/sh
# Usage: hook.sh EVENT < payload.json  — records the event; prints nothing (stdout would be read as hook output).
t=$(date +%s%3N)
payload=$(cat | tr -d '\\n')
[ -n "$payload" ] || payload=null
printf '{"event":"%s","t":%s,"payload":%s}\\n' "$1" "$t" "$payload" >> '${hookLog}'
[ -n "$TMUX_PANE" ] && tmux set-option -p -t "$TMUX_PANE" @plexus-hook "$1" >/dev/null 2>&1
exit 0
`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * The nesting all three read: {EVENT: [{matcher, hooks: [{type: command, command, timeout}]}]}. The timeout's unit
 * differs: seconds for Claude and Codex (Codex clamps Interrupt/SessionEnd hooks to 3 s and warns at startup
 * if asked for more), milliseconds for Gemini (10 there fails every hook).
 */
function hooksObject(events, script, timeout) {
  return Object.fromEntries(events.map((event) => [event, [{
    matcher: '',
    hooks: [{ type: 'command', command: `${script} ${event}`, timeout }],
  }]]));
}

/**
 * Create the throw-away HOME for one agent and return how to start it.
 * @param {'claude' | 'codex' | 'gemini'} name @param {{ mockUrl: string }} o @returns {AgentRun}
 */
export function prepareAgent(name, { mockUrl }) {
  const root = mkdtempSync(join(tmpdir(), `plexus-${name}-`));
  const home = join(root, 'home');
  const cwd = join(root, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'README.md'), '# A throw-away project\n');
  const hookLog = join(root, 'hooks.jsonl');
  writeFileSync(hookLog, '');
  const script = writeHookScript(root, hookLog);
  const base = {
    HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8',
    NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', HTTPS_PROXY: '', HTTP_PROXY: '',
  };
  if (name === 'claude') return { ...claude(root, home, cwd, script, mockUrl, base), name, root, home, cwd, hookLog };
  if (name === 'codex') return { ...codex(root, home, cwd, script, mockUrl, base), name, root, home, cwd, hookLog };
  return { ...gemini(root, home, cwd, script, mockUrl, base), name, root, home, cwd, hookLog };
}

function claude(root, home, cwd, script, mockUrl, base) {
  const key = 'sk-ant-mock-0123456789abcdefghijklmnop';
  const configDir = join(home, '.claude');
  mkdirSync(configDir, { recursive: true });
  const v = version('@anthropic-ai/claude-code');
  writeFileSync(join(configDir, '.claude.json'), JSON.stringify({
    hasCompletedOnboarding: true,
    lastOnboardingVersion: v,
    theme: 'dark',
    numStartups: 1,
    customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] },
    projects: { [cwd]: { hasTrustDialogAccepted: true, allowedTools: [], hasCompletedProjectOnboarding: true } },
  }, null, 2));
  const settings = join(root, 'claude-hooks.json');
  writeFileSync(settings, JSON.stringify({ hooks: hooksObject(HOOK_EVENTS.claude, script, 10) }, null, 2));
  return {
    version: v,
    api: 'anthropic',
    argv: [join(modules, '@anthropic-ai/claude-code-linux-x64/claude'), '--permission-mode', 'default', '--settings', settings],
    env: {
      ...base,
      CLAUDE_CONFIG_DIR: configDir,
      ANTHROPIC_BASE_URL: mockUrl,
      ANTHROPIC_API_KEY: key,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_MAX_RETRIES: '1',
    },
  };
}

function codex(root, home, cwd, script, mockUrl, base) {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(join(codexHome, 'config.toml'), `model = "gpt-5.1-codex"
model_provider = "mock"
approval_policy = "on-request"
sandbox_mode = "workspace-write"
check_for_update_on_startup = false

[model_providers.mock]
name = "Mock"
base_url = "${mockUrl}/v1"
env_key = "MOCK_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[feedback]
enabled = false

[notice]
hide_full_access_warning = true

[projects."${cwd}"]
trust_level = "trusted"
`);
  writeFileSync(join(codexHome, 'hooks.json'), JSON.stringify({ hooks: hooksObject(HOOK_EVENTS.codex, script, 3) }, null, 2));
  return {
    version: version('@openai/codex'),
    api: 'openai',
    argv: [join(modules, '@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex'), '--no-daemon',
      '--dangerously-bypass-hook-trust'],
    env: { ...base, CODEX_HOME: codexHome, MOCK_API_KEY: 'sk-mock' },
  };
}

function gemini(root, home, cwd, script, mockUrl, base) {
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
    general: { disableAutoUpdate: true, disableUpdateNag: true, maxAttempts: 2 },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ui: { hideTips: true },
    hooks: hooksObject(HOOK_EVENTS.gemini, script, 10_000),
  }, null, 2));
  return {
    version: version('@google/gemini-cli'),
    api: 'gemini',
    argv: [process.execPath, join(modules, '@google/gemini-cli/bundle/gemini.js')],
    env: {
      ...base,
      GEMINI_CLI_HOME: home,
      GOOGLE_GEMINI_BASE_URL: mockUrl,
      GEMINI_API_KEY: 'mock-key',
      GEMINI_CLI_NO_RELAUNCH: 'true',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      COLORTERM: 'truecolor',
    },
  };
}

/** The hook events recorded so far. @param {AgentRun} run */
export function readHooks(run) {
  return readFileSync(run.hookLog, 'utf8').split('\n').filter(Boolean).map((line) => {
    try { return JSON.parse(line); } catch { return { event: '?', t: 0, payload: null, raw: line }; }
  });
}

/** The tool calls the mock model makes each agent ask about: a shell command that needs permission, and a question. */
export const TOOLS = {
  claude: {
    permission: { name: 'Bash', input: { command: 'touch marker-from-claude', description: 'Create a marker file' } },
    question: { name: 'AskUserQuestion', input: { questions: [{ question: 'Which color should the button be?', header: 'Color', multiSelect: false,
      options: [{ label: 'Red', description: 'A warm color' }, { label: 'Blue', description: 'A cool color' }] }] } },
  },
  codex: {
    permission: { name: 'exec_command', input: { cmd: 'touch marker-from-codex', sandbox_permissions: 'require_escalated',
      justification: 'Create a marker file?' } },
    question: { name: 'request_user_input', input: { questions: [{ id: 'color', header: 'Color', question: 'Which color should the button be?',
      options: [{ label: 'Red (Recommended)', description: 'A warm color' }, { label: 'Blue', description: 'A cool color' }] }] } },
  },
  gemini: {
    permission: { name: 'run_shell_command', input: { command: 'touch marker-from-gemini', description: 'Create a marker file' } },
    question: { name: 'ask_user', input: { questions: [{ question: 'Which color should the button be?', header: 'Color', type: 'choice',
      options: [{ label: 'Red', description: 'A warm color' }, { label: 'Blue', description: 'A cool color' }] }] } },
  },
};

/**
 * What each real agent's screen and title show per state (RESULTS.md), how it exits, and the API error that shows
 * at once (the capture, the truth table and the e2e tests drive the agents with these). `s` is the screen, `t` the
 * pane title.
 */
export const SCREENS = {
  claude: {
    idle: (s) => s.includes('? for shortcuts') && !s.includes('esc to interrupt'),
    working: (s) => s.includes('esc to interrupt') && s.includes('word'),
    permission: (s) => s.includes('Do you want to proceed?'),
    question: (s) => s.includes('Enter to select') && s.includes('Which color'),
    error: (s) => s.includes('API Error'),
    interrupted: (s) => s.includes('Interrupted'),
    exit: '/exit',
    errorStatus: 500,
  },
  codex: {
    // The footer says "? for shortcuts" while working too; the title's spinner tells the turn is still on.
    idle: (s, t) => s.includes('? for shortcuts') && !/^[⠀-⣿]|Action Required/.test(t) && !s.includes('esc to interrupt'),
    working: (s, t) => s.includes('word') && /^[⠀-⣿]/.test(t),
    permission: (s) => s.includes('Would you like to run the following command?'),
    question: (s) => s.includes('Which color') && s.includes('enter to submit'),
    error: (s) => s.includes('■'),
    interrupted: (s) => /interrupt/i.test(s.split('› Stream slowly').pop() ?? ''),
    exit: '/exit',
    errorStatus: 500,
    // request_user_input is refused outside Plan mode; Shift+Tab cycles Default -> Plan -> Default.
    beforeQuestion: ['BTab'],
    afterQuestion: ['BTab'],
  },
  gemini: {
    idle: (s, t) => s.includes('Type your message') && t.includes('Ready'),
    working: (s, t) => s.includes('word') && t.includes('Working'),
    permission: (s) => s.includes('Allow execution of'),
    question: (s) => s.includes('Answer Questions'),
    error: (s) => /\[API Error|error/i.test(s.split('Trigger an error').pop() ?? ''),
    interrupted: (s) => /cancel/i.test(s.split('Stream slowly').pop() ?? ''),
    exit: '/quit',
    // A 5xx is retried silently with a model fallback; a 400 shows at once.
    errorStatus: 400,
  },
};
