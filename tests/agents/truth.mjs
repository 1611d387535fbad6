// The truth table: each real agent (Claude Code, Codex CLI, Gemini CLI) started THROUGH PLEXUS (sessions/create)
// on the real host, stepped through its states against the mock model, and for every state: when the screen first
// showed it (capture-pane every 50 ms on the host's private tmux server), what Plexus reported and when, and whether
// that was right. The expectations and which rows are required live in truth.test.mjs; this file drives and
// measures. The agents run side by side (one host, one tmux server, one mock model: each agent has its own API).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareAgent, SCREENS, TOOLS } from './agents.mjs';
import { startMockModel } from './mockModel.mjs';
import { startPlexus } from './plexusHost.mjs';

const HOOK_LEAD_MS = 1000;
const STARTUP_DRAWING_MS = 3000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const STATES = ['idle', 'working', 'done', 'permission', 'question', 'error', 'interrupted', 'exited', 'killed'];

/** What the user types to start each agent (the wrappers on PATH run the pinned builds in tests/agents). */
const COMMANDS = {
  // This Claude Code defaults to "auto mode", which never asks for permission.
  claude: 'claude --permission-mode default',
  codex: 'codex --no-daemon',
  gemini: 'gemini',
};

/** Screen markers and keys per agent, as observed on the real agents (see RESULTS.md and capture.mjs). */
const PROFILES = {
  claude: { ...SCREENS.claude, yes: ['1'], answer: ['2'] },
  codex: { ...SCREENS.codex, yes: ['y'], answer: ['2'] },
  gemini: { ...SCREENS.gemini, yes: ['1'], answer: ['2'] },
};


/**
 * Everything for the host's environment: the throw-away HOME, PATH with one wrapper per agent (named as the user
 * types it, so Plexus can recognise the command and attach its hooks), and every agent's variables from agents.mjs
 * (they do not collide: CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME…). The wrapper sets only the agent's own
 * HOME, exactly as the capture harness ran it. The harness's recording hooks are left out: what is measured is
 * Plexus, with whatever hooks Plexus itself attaches.
 */
export function prepareAll(agents, mockUrl, root) {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const runs = {};
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of the user's own agents, tmux or XDG folders reaches the agents under test, nor a CI runner's
    // markers: with CI=true Gemini CLI runs headless and exits 42 at once, which no user's terminal does.
    if (/^(ANTHROPIC|OPENAI|CODEX|GEMINI|GOOGLE|CLAUDE|TMUX|XDG_)/.test(key) || value === undefined) continue;
    if (/^(CI|CI_.*|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|BUILD_NUMBER|RUN_ID)$/.test(key)) continue;
    env[key] = value;
  }
  for (const name of agents) {
    const run = prepareAgent(name, { mockUrl });
    let argv = run.argv;
    if (name === 'claude') argv = argv.slice(0, argv.indexOf('--settings'));
    if (name === 'codex') {
      rmSync(join(run.env.CODEX_HOME, 'hooks.json'), { force: true });
      argv = argv.filter((a) => a !== '--dangerously-bypass-hook-trust');
    }
    if (name === 'gemini') {
      const file = join(run.env.GEMINI_CLI_HOME, '.gemini', 'settings.json');
      const settings = JSON.parse(readFileSync(file, 'utf8'));
      delete settings.hooks;
      writeFileSync(file, JSON.stringify(settings, null, 2));
    }
    // The wrapper execs the real program: tmux sees `claude`, `codex` or `node` (Gemini) as the pane's command.
    const program = name === 'gemini' ? argv.slice(0, 2) : argv.slice(0, 1);
    const wrapper = join(bin, name);
    writeFileSync(wrapper, `#!/bin/sh\nHOME='${run.home}' exec ${program.map((a) => `'${a}'`).join(' ')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    for (const [key, value] of Object.entries(run.env)) if (key !== 'HOME' && key !== 'PATH') env[key] = value;
    runs[name] = run;
  }
  env.HOME = join(root, 'home');
  mkdirSync(env.HOME, { recursive: true });
  // Where Plexus keeps the hook files it attaches. Gemini ignores a settings file below a folder others may write
  // to, and every folder under /tmp is one (so may be the repository's own folder, wherever it was cloned): keep it
  // below the user's home, whose folders only the user writes.
  const cache = join(homedir(), '.cache');
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  env.XDG_STATE_HOME = mkdtempSync(join(cache, 'plexus-truth-'));
  chmodSync(env.XDG_STATE_HOME, 0o700);
  env.PATH = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  env.SHELL = '/bin/sh';
  return { env, runs };
}

/**
 * @typedef {{ status: string, reason?: string }} Expected
 * @typedef {{ agent: string, state: string, expected: Expected, reached: boolean, began?: number, actionAt?: number,
 *   match?: import('./plexusHost.mjs').Report, latencyMs?: number, seen: string[], right: boolean, why: string }} Row
 */

/**
 * Run the truth table. `expected[agent][state]` is what Plexus should report.
 * @param {{ agents: string[], expected: Record<string, Record<string, Expected>>, idleAfterSeconds: number,
 *   graceMs: number, holdMs: number, commands?: Record<string, string>, log?: (line: string) => void }} o
 *   commands: what the user types per agent, in place of COMMANDS
 */
export async function runTruthTable({ agents, expected, idleAfterSeconds, graceMs, holdMs, commands = {}, log = () => {} }) {
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'plexus-truth-'));
  const mock = await startMockModel();
  let plexus;
  const pids = new Set();
  const prepared = prepareAll(agents, mock.url, root);
  try {
    plexus = await startPlexus({ env: prepared.env, workDir: root, idleAfterSeconds });
    // The agents start one after another (each once the previous one shows its input box), then run side by side:
    // three starting at once on two cores measure the machine's contention, not Plexus.
    let gate = Promise.resolve();
    const results = await Promise.all(agents.map((name) => {
      const previous = gate;
      let open = () => {};
      gate = new Promise((resolve) => { open = resolve; });
      return driveAgent({
        name, command: commands[name] ?? COMMANDS[name], run: prepared.runs[name], plexus, mock, expected: expected[name], deadlineMs: idleAfterSeconds * 1000 + graceMs,
        holdMs, pids, log, startAfter: previous, started: open,
      }).finally(open);
    }));
    return {
      host: plexus.info, tmuxVersion: plexus.info.tmuxVersion, seconds: (Date.now() - started) / 1000,
      agents: results, hostLog: plexus.stderr(),
    };
  } finally {
    if (plexus) await plexus.stop().catch(() => undefined);
    await mock.close();
    // Anything the tmux server's SIGHUP left alive (an agent's own children) goes too.
    for (const pid of pids) {
      try { process.kill(pid, 0); process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const run of Object.values(prepared.runs)) rmSync(run.root, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
    rmSync(prepared.env.XDG_STATE_HOME, { recursive: true, force: true });
  }
}

async function driveAgent({ name, command, run, plexus, mock, expected, deadlineMs: stateDeadlineMs, holdMs, pids, log, startAfter, started }) {
  const profile = PROFILES[name];
  const api = run.api;
  /** @type {Row[]} */
  const rows = [];
  const say = (line) => log(`[${name}] ${line}`);
  let session = `truth-${name}`;
  let pane = '';
  let hookSeen = false; // Plexus's own hooks mark the pane with @plexus_hook
  let securityWarning = false;

  /** Screen, title and liveness in one tmux call (capture-pane, then display-message). */
  const view = async () => {
    const marker = '\u0001plexus-truth\u0001';
    const out = await plexus.tmux('capture-pane', '-p', '-t', pane, ';', 'display-message', '-p', '-t', pane,
      `${marker}#{pane_title}\t#{pane_dead}\t#{pane_dead_status}\t#{@plexus_hook}`);
    const cut = out.lastIndexOf(marker);
    const [title, dead, deadStatus, hook] = out.slice(cut + marker.length).replace(/\n$/, '').split('\t');
    return { screen: out.slice(0, cut), title: title.trim(), dead: dead === '1', deadStatus, hook };
  };
  /** Poll every 50 ms until pred(view) holds; resolves with the time it first held, or null at the deadline. */
  const screenShows = async (pred, timeoutMs) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const at = Date.now();
      let v = null;
      try { v = await view(); } catch { /* pane gone */ }
      if (v?.hook) hookSeen = true;
      // Gemini CLI's warning about a settings file it skipped: Plexus must never cause one.
      if (v?.screen.includes('Security Warning')) securityWarning = true;
      if (v && pred(v.screen, v.title, v)) return at;
      if (Date.now() > end) return null;
      await sleep(50);
    }
  };
  const keys = (...k) => plexus.tmux('send-keys', '-t', pane, ...k);
  /** Type text, then Enter separately (a pasted newline is not a submit in every TUI); resolves with the time
   * typing began, which is the action: the echo of the typed text is already output Plexus sees. */
  const prompt = async (text) => {
    const at = Date.now();
    await plexus.tmux('send-keys', '-t', pane, '-l', text);
    await sleep(300);
    await keys('Enter');
    return at;
  };
  const matches = (want) => (r) => r.status === want.status && (want.reason === undefined || r.reason === want.reason);
  const label = (r) => (r ? `${r.status}${r.reason ? `(${r.reason})` : ''}` : '—');

  /**
   * Judge one state: Plexus must report `want` within the deadline after the screen showed the state (a report
   * made after the action that led there counts, even if it beat the screen), then hold it for holdMs (or until
   * `until` resolves, for a state that ends by itself). Returns the row; the caller moves on afterwards.
   */
  const judge = async (state, actionAt, began, until) => {
    const want = expected[state];
    // At start-up the agents go on drawing (logo, tips, MCP status) for up to 3 s after their input box appears;
    // without a hook, "idle" is only known idleAfter after the last of it.
    const deadlineMs = state === 'idle' ? stateDeadlineMs + STARTUP_DRAWING_MS : stateDeadlineMs;
    const row = { agent: name, state, expected: want, reached: began !== null, actionAt, began: began ?? undefined, seen: [], right: false, why: '' };
    rows.push(row);
    if (began === null) {
      row.why = 'the agent never showed this state';
      say(`${state}: NOT REACHED`);
      return row;
    }
    const ok = matches(want);
    const ending = until ? until() : null;
    // The report in force when the screen showed the state counts if it came after the action (a hook can beat
    // the screen); otherwise the first matching report after that moment.
    const inForce = plexus.reports(session).filter((r) => r.at <= began).at(-1);
    const match = inForce && inForce.at >= actionAt && ok(inForce)
      ? inForce
      : await plexus.waitForReport(session, ok, began, began + deadlineMs);
    if (!ending) await sleep(holdMs);
    const windowEnd = ending ? await ending : Date.now();
    const line = plexus.reports(session);
    const before = line.filter((r) => r.at < actionAt).at(-1);
    const during = line.filter((r) => r.at >= actionAt && r.at <= windowEnd);
    row.seen = [before, ...during].filter(Boolean).map((r) => `${label(r)}@${Math.round(r.at - began)}`);
    if (!match) {
      const last = [before, ...during].filter(Boolean).at(-1);
      const late = during.find((r) => r.at > began && ok(r));
      row.reported = last;
      row.why = late ? `too late: ${label(want)} after ${late.at - began} ms`
        : `reported ${label(last)}, not ${label(want)}, within ${deadlineMs} ms`;
    } else {
      row.match = match;
      row.reported = match;
      row.latencyMs = match.at - began;
      // A hook announces the next state up to a second before the screen draws it (the agents' hooks fire 0.1-1 s
      // early), so a window that ends when the screen shows the next state does not hold its last second to account.
      const holdEnd = ending ? windowEnd - HOOK_LEAD_MS : windowEnd;
      const after = during.filter((r) => r.at > match.at && r.at <= holdEnd && !ok(r));
      const falseWaiting = state === 'working' && during.some((r) => r.status === 'waiting');
      if (falseWaiting) row.why = 'reported waiting while the agent streamed';
      else if (row.latencyMs > deadlineMs) row.why = `too late: ${row.latencyMs} ms`;
      else if (after.length) row.why = `did not hold: then ${after.map(label).join(' → ')}`;
      else { row.right = true; row.why = 'right'; }
    }
    say(`${state}: ${row.right ? 'right' : 'WRONG'} — ${row.why}; seen ${row.seen.join(' ')}`);
    return row;
  };

  const create = async (sessionName) => {
    const actionAt = Date.now();
    const created = await plexus.client.createSession({ name: sessionName, command, cwd: run.cwd, width: 120, height: 40 });
    const [paneId, pid] = (await plexus.tmux('display-message', '-p', '-t', created.id, '#{pane_id}\t#{pane_pid}')).trim().split('\t');
    pane = paneId;
    if (Number(pid)) pids.add(Number(pid));
    return actionAt;
  };
  const backAtInput = (text) => screenShows((s, t) => profile.idle(s, t) && (!text || s.includes(text)), 30_000);

  let hooked = false;
  try {
    // idle: straight into the input box.
    await startAfter;
    let actionAt = await create(session);
    let began = await screenShows(profile.idle, 45_000);
    started();
    const idleRow = await judge('idle', actionAt, began);
    if (began === null) {
      // What the pane showed instead tells a failing run on another machine apart from a wrong marker here.
      const last = await view().catch(() => null);
      idleRow.why += !last ? '; its pane is gone'
        : last.dead ? `; its process exited with status ${last.deadStatus}`
          : `; its title was "${last.title}" and its screen ended: ${last.screen.split('\n').map((l) => l.trim()).filter(Boolean).slice(-4).join(' | ')}`;
      throw new Error('never reached its input box');
    }

    // working, then done: a reply streamed for 6 s, then back at the input with the final words.
    mock.push(api, { kind: 'text', seconds: 6, tokenMs: 150, text: 'Finished streaming.' });
    actionAt = await prompt('Please write a long story');
    began = await screenShows(profile.working, 20_000);
    let doneAt = null;
    await judge('working', actionAt, began, async () => { doneAt = await backAtInput('Finished streaming'); return doneAt ?? Date.now(); });
    if (began === null) doneAt = await backAtInput('Finished streaming');
    await judge('done', began ?? actionAt, doneAt);

    // permission: a shell command that needs approval, approved.
    mock.push(api, { kind: 'tool', ...TOOLS[name].permission }, { kind: 'text', text: 'After the permission.' });
    actionAt = await prompt('Run the command');
    began = await screenShows(profile.permission, 20_000);
    await judge('permission', actionAt, began);
    if (began !== null) await keys(...profile.yes);
    await backAtInput('After the permission');
    mock.clear(api);

    // question: a multiple-choice question from the model, answered with the second option.
    if (profile.beforeQuestion) { await keys(...profile.beforeQuestion); await sleep(700); }
    mock.push(api, { kind: 'tool', ...TOOLS[name].question }, { kind: 'text', text: 'After the question.' });
    actionAt = await prompt('Ask me a question');
    began = await screenShows(profile.question, 20_000);
    await judge('question', actionAt, began);
    if (began !== null) await keys(...profile.answer);
    await backAtInput('After the question');
    mock.clear(api);
    if (profile.afterQuestion) { await keys(...profile.afterQuestion); await sleep(700); }

    // error: every retry fails the same way; the agent shows the error back at its input.
    for (let i = 0; i < 4; i++) mock.push(api, { kind: 'error', status: profile.errorStatus, message: `Mock error ${profile.errorStatus}` });
    actionAt = await prompt('Trigger an error');
    began = await screenShows((s, t) => profile.error(s, t) && profile.idle(s, t), 60_000);
    await judge('error', actionAt, began);
    mock.clear(api);

    // interrupted: Esc while a reply streams.
    mock.push(api, { kind: 'text', seconds: 30, tokenMs: 150 });
    await prompt('Stream slowly');
    if (await screenShows(profile.working, 20_000) !== null) {
      await sleep(800);
      actionAt = Date.now();
      await keys('Escape');
      began = await screenShows((s, t) => profile.interrupted(s, t) && profile.idle(s, t), 15_000);
    } else {
      actionAt = Date.now();
      began = null;
    }
    await judge('interrupted', actionAt, began);
    mock.clear(api);
    hooked = plexus.reports(session).some((r) => r.agentSessionId);

    // exited: the agent's own exit command; the state begins when the pane is dead.
    await plexus.tmux('send-keys', '-t', pane, '-l', profile.exit);
    await sleep(500);
    actionAt = Date.now();
    await keys('Enter');
    began = await screenShows((s, t, v) => v.dead, 15_000);
    await judge('exited', actionAt, began);

    // killed: sessions/kill on a second, idle session of the same agent; Plexus must drop it from the list.
    session = `truth-${name}-kill`;
    await create(session);
    if (await screenShows(profile.idle, 45_000) !== null) {
      actionAt = Date.now();
      await plexus.client.killSession(session);
      await judge('killed', actionAt, actionAt);
    } else {
      await judge('killed', Date.now(), null);
    }
  } catch (error) {
    say(`stopped: ${error?.stack ?? error}`);
    for (const state of STATES) {
      if (!rows.some((r) => r.state === state)) rows.push({ agent: name, state, expected: expected[state], reached: false, seen: [], right: false, why: `not run: ${error?.message ?? error}` });
    }
  }
  const all = [...plexus.reports(`truth-${name}`), ...plexus.reports(`truth-${name}-kill`)];
  return {
    name, version: run.version, command, rows,
    securityWarning,
    recognisedAs: [...new Set(all.map((r) => r.agent).filter(Boolean))],
    hooked: hookSeen,
    conversationKnown: hooked || all.some((r) => r.agentSessionId),
    agentSessionIds: [...new Set(all.map((r) => r.agentSessionId).filter(Boolean))],
  };
}

// ------------------------------------------------------------------------------------------------ TRUTH.md

const esc = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const fmt = (w) => (w ? `${w.status}${w.reason ? ` (${w.reason})` : ''}` : '—');

/** The markdown report: a table per agent, totals, and what Plexus recognised. */
export function renderTruth(result, { required, idleAfterSeconds, deadlineMs, holdMs }) {
  const out = ['# Truth table: what Plexus reports for real agents', ''];
  out.push(`Generated by \`node --test tests/agents/truth.test.mjs\` (a step of \`./plexus test\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  out.push(`Real host \`out/server/plexus-host\` ${esc(result.host.serverVersion)} on tmux ${esc(result.tmuxVersion)}; agents started through \`sessions/create\`,`);
  out.push(`stepped by keys on the host's private tmux server against the mock model. idleAfterSeconds ${idleAfterSeconds};`);
  out.push(`a row is right when Plexus reports the expected status (and reason) within ${deadlineMs} ms (the start-up idle row: ${deadlineMs + STARTUP_DRAWING_MS} ms, as the agents go on drawing for up to 3 s after their input box appears) after the screen first showed`);
  out.push(`the state (screen polled every 50 ms) and holds it ${holdMs} ms (the working row: for the whole stream, and never "waiting").`);
  out.push(`Latency is from the screen showing the state to the report (negative: Plexus knew first, from a hook). Run took ${result.seconds.toFixed(0)} s.`);
  out.push('');
  let right = 0; let total = 0;
  const summary = [];
  for (const agent of result.agents) {
    const n = agent.rows.filter((r) => r.right).length;
    right += n; total += agent.rows.length;
    summary.push(`${agent.name} ${n}/${agent.rows.length}`);
    out.push(`## ${agent.name} ${agent.version} — ${n} of ${agent.rows.length} right, ${agent.hooked ? 'hooked (Plexus\'s hooks set @plexus_hook)' : 'no hooks (title and screen)'}; conversation id ${agent.conversationKnown ? 'reported' : 'not reported'}`);
    out.push('');
    out.push(`Command \`${agent.command}\`; recognised as: ${agent.recognisedAs.join(', ') || 'nothing'}.`);
    out.push('');
    out.push('| state | expected | reported | detail | latency | verdict | required | reports (status@ms after the state began) |');
    out.push('| --- | --- | --- | --- | ---: | --- | --- | --- |');
    for (const row of agent.rows) {
      const req = required[agent.name]?.[row.state] ? 'required' : 'known gap';
      const verdict = row.right ? 'right' : `**wrong**: ${esc(row.why)}`;
      const latency = row.latencyMs === undefined ? '—' : `${row.latencyMs} ms`;
      const detail = row.reported?.detail ? esc(row.reported.detail.slice(0, 80)) : '';
      out.push(`| ${row.state} | ${fmt(row.expected)} | ${fmt(row.reported)} | ${detail} | ${latency} | ${verdict} | ${req} | ${esc(row.seen.join(' '))} |`);
    }
    out.push('');
  }
  out.push(`**Total: ${right} of ${total} states right** (${summary.join(', ')}).`, '');
  return { markdown: out.join('\n'), right, total, summary: summary.join(', ') };
}
