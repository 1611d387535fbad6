// The truth table of Plexus against the real agents (see truth.mjs for how it drives and measures). Writes
// tests/agents/TRUTH.md and fails when a REQUIRED row is wrong. Rows marked `false` in REQUIRED are known gaps of
// today's host: they are measured and printed as wrong in TRUTH.md, but do not fail the run. Tighten by flipping
// them to `true` once the status engine and the hooks Plexus attaches get them right.
//   node --test tests/agents/truth.test.mjs     (needs ./plexus build and `npm ci` in tests/agents)
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hostPath } from './plexusHost.mjs';
import { renderTruth, runTruthTable, STATES } from './truth.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** What Plexus should report per state, the same for every agent. "gone": the session left the list. */
const EXPECTED_STATE = {
  idle: { status: 'idle' }, // at its empty input box
  working: { status: 'running' }, // streaming a reply; never "waiting" meanwhile
  done: { status: 'idle' }, // final answer shown, back at the input
  permission: { status: 'waiting', reason: 'permission' }, // asks to run a shell command
  question: { status: 'waiting', reason: 'question' }, // AskUserQuestion / request_user_input / ask_user
  error: { status: 'error' }, // API error shown: the turn failed (the program still runs, so no exit code)
  interrupted: { status: 'idle' }, // Esc while streaming: back at the input
  exited: { status: 'ended' }, // /exit or /quit, exit status 0
  killed: { status: 'gone' }, // sessions/kill: the session leaves the list
};

/**
 * agent × state → true: must be right, or the test fails; false: a known gap (measured and printed as wrong in
 * TRUTH.md, but the run stays green). Every row is required: Claude Code with the hooks Plexus attaches, Gemini with
 * them (root) and without (everyone else, the second test), Codex (no hooks: its hook trust review would stop it at
 * start-up) on its pane title and screen.
 */
const REQUIRED = Object.fromEntries(['claude', 'codex', 'gemini'].map((agent) => [agent, Object.fromEntries(Object.keys(EXPECTED_STATE).map((state) => [state, true]))]));

const AGENTS = (process.env.PLEXUS_TRUTH_AGENTS ?? 'claude,codex,gemini').split(',').filter(Boolean);
const IDLE_AFTER_SECONDS = 3; // the product's default (plexus.status.idleAfterSeconds)
const GRACE_MS = 2000; // deadline = idleAfter + this
const HOLD_MS = 2500; // longer than Claude's 1.5 s blink while it waits

const missing = !existsSync(hostPath) ? `the host is not built at ${hostPath} — run ./plexus build first`
  : !existsSync(join(here, 'node_modules', '@anthropic-ai', 'claude-code-linux-x64', 'claude'))
    ? 'the real agents are not installed — run: cd tests/agents && npm ci --ignore-scripts --no-audit --no-fund' : '';
if (missing && process.env.PLEXUS_REQUIRE_HOST) throw new Error(`PLEXUS_REQUIRE_HOST is set but ${missing}`);

/**
 * Whether Plexus gives each agent its hooks here. Claude Code takes them from any user (--settings); Gemini CLI
 * reads Plexus's settings layer only when root owns it and every folder above it, so it is hooked when the suite
 * runs as root (the harness keeps the layer below root's home) and runs on its title and screen for anyone else.
 */
const HOOKED = { claude: true, codex: false, gemini: process.getuid?.() === 0 };

const verbose = Boolean(process.env.PLEXUS_TEST_VERBOSE);
const options = { idleAfterSeconds: IDLE_AFTER_SECONDS, graceMs: GRACE_MS, holdMs: HOLD_MS, log: (line) => { if (verbose) console.log(line); } };
const rendering = { required: REQUIRED, idleAfterSeconds: IDLE_AFTER_SECONDS, deadlineMs: IDLE_AFTER_SECONDS * 1000 + GRACE_MS, holdMs: HOLD_MS };

/** The checks of one agent's run: every state measured and right, its hooks as expected, no security warning. */
function checkAgent(agent, hooked) {
  assert.deepEqual(agent.rows.map((r) => r.state), STATES, 'every state was measured');
  const wrong = agent.rows.filter((r) => REQUIRED[agent.name]?.[r.state] && !r.right);
  assert.deepEqual(wrong.map((r) => `${r.state}: ${r.why}`), [], `${agent.name}: required rows wrong (see tests/agents/TRUTH.md)`);
  assert.equal(agent.hooked, hooked, `${agent.name}: ${hooked ? 'Plexus\'s hooks never reported' : 'hooks reported, though none were expected'}`);
  assert.equal(agent.securityWarning, false, `${agent.name}: the agent warned about a settings file Plexus gave it`);
  // What a restore resumes: Claude and Gemini report it through their hooks, Codex through its open rollout file.
  // Gemini without hooks has no way to say it: its restore starts a new conversation rather than guess one.
  if (hooked || agent.name === 'codex') assert.ok(agent.conversationKnown, `${agent.name}: Plexus never reported the agent's conversation id`);
}

test('Plexus reports each real agent\'s states right (truth table)', { skip: missing || false, timeout: 300_000 }, async (t) => {
  const expected = Object.fromEntries(AGENTS.map((a) => [a, EXPECTED_STATE]));
  const result = await runTruthTable({ agents: AGENTS, expected, ...options });
  const report = renderTruth(result, rendering);
  writeFileSync(join(here, 'TRUTH.md'), report.markdown);
  console.log(`truth table: ${report.right} of ${report.total} states right (${report.summary}) in ${result.seconds.toFixed(0)} s — tests/agents/TRUTH.md`);

  for (const agent of result.agents) {
    await t.test(`${agent.name} ${agent.version}: every required state right`, () => checkAgent(agent, HOOKED[agent.name]));
  }
});

// What every user but root gets from Gemini CLI: no hooks from Plexus (an `env` prefix takes the settings layer
// away, exactly as Gemini skipping it does), so status comes from its pane title and screen alone.
test('Gemini CLI without Plexus\'s hooks: every state right from its title and screen', { skip: missing || !AGENTS.includes('gemini'), timeout: 300_000 }, async () => {
  const result = await runTruthTable({ agents: ['gemini'], expected: { gemini: EXPECTED_STATE }, commands: { gemini: 'env GEMINI_CLI_SYSTEM_DEFAULTS_PATH= gemini' }, ...options });
  const report = renderTruth(result, rendering);
  appendFileSync(join(here, 'TRUTH.md'), `\n# Gemini CLI without hooks (every user but root)\n\n${report.markdown.split('\n## ').slice(1).map((part) => `## ${part}`).join('\n')}`);
  console.log(`truth table, Gemini without hooks: ${report.right} of ${report.total} states right in ${result.seconds.toFixed(0)} s`);
  checkAgent(result.agents[0], false);
});
