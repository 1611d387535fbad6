// Steps each real agent through its states against the mock model and records, per state, the screen (as a
// fixture under tests/Plexus.Host.Tests/Status/Screens/real/), the pane title and window name, the hook events
// that fired, and whether the screen keeps changing while the agent waits. Run by hand:
//   node tests/agents/capture.mjs [claude|codex|gemini ...]
// Results per agent go to tests/agents/results/<agent>.json; the tables in RESULTS.md are regenerated from all.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENTS, prepareAgent, readHooks, SCREENS, TOOLS } from './agents.mjs';
import { startMockModel } from './mockModel.mjs';
import { PrivateTmux } from './tmux.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const screensDir = join(here, '..', 'Plexus.Host.Tests', 'Status', 'Screens', 'real');
const resultsDir = join(here, 'results');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Screen markers and keys per agent, as observed on the real agents (see RESULTS.md). */
const PROFILES = {
  claude: { ...SCREENS.claude, yes: [['1'], ['Enter']], no: [['Escape']], answer: [['2'], ['Enter']] },
  codex: { ...SCREENS.codex, yes: [['y'], ['Enter']], no: [['n'], ['Escape']], answer: [['2'], ['Enter']] },
  gemini: { ...SCREENS.gemini, yes: [['1'], ['Enter']], no: [['Escape']], answer: [['2'], ['Enter']] },
};


/** The payload fields worth a column; the rest is in the transcript. */
function hookSummary(hook, since) {
  const p = hook.payload ?? {};
  const fields = {};
  for (const key of ['source', 'reason', 'tool_name', 'notification_type', 'message', 'error', 'prompt', 'stop_hook_active', 'trigger']) {
    if (p[key] !== undefined) fields[key] = p[key];
  }
  if (p.tool_input !== undefined) fields.tool_input = JSON.stringify(p.tool_input).slice(0, 120);
  if (p.session_id) fields.session_id = String(p.session_id).slice(0, 8);
  return { event: hook.event, ms: hook.t - since, ...fields };
}

async function captureAgent(name) {
  const profile = PROFILES[name];
  const mock = await startMockModel();
  const tmux = new PrivateTmux();
  const run = prepareAgent(name, { mockUrl: mock.url });
  const fixtureName = (state) => `${name}-${run.version}-${state}.txt`;
  const result = { agent: name, version: run.version, argv: run.argv.map((a) => a.replace(here, 'tests/agents')), states: [], keys: [], notes: [] };
  const log = (message) => { console.log(`[${name}] ${message}`); };
  let pane = '';
  let session = 0;

  const startPane = async () => {
    pane = await tmux.start({ name: `${name}-${++session}`, argv: run.argv, env: run.env, cwd: run.cwd });
  };
  const view = async () => {
    const [screen, st] = await Promise.all([tmux.capture(pane), tmux.state(pane)]);
    return { screen, ...st, title: st.title.trim() };
  };
  /** Poll every 100 ms until pred(screen, title) or the deadline; null on timeout. */
  const waitFor = async (pred, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let v;
      try { v = await view(); } catch { return null; }
      if (pred(v.screen, v.title, v)) return v;
      if (Date.now() > deadline) return null;
      await sleep(100);
    }
  };
  /** Sample the pane for ~1.5 s: does the screen or the title keep changing while nobody types? */
  const watch = async () => {
    const screens = new Set();
    const titles = new Set();
    const changedLines = new Set();
    let first = null;
    const activityBefore = (await view()).activity;
    for (let i = 0; i < 15; i++) {
      const v = await view();
      screens.add(v.screen);
      titles.add(v.title);
      if (first === null) first = v.screen.split('\n');
      else v.screen.split('\n').forEach((line, n) => { if (line !== first[n]) changedLines.add(line.trim().slice(0, 60)); });
      await sleep(100);
    }
    const activityAfter = (await view()).activity;
    return { distinctScreens: screens.size, titles: [...titles], changedLines: [...changedLines].slice(0, 4),
      windowActivityAdvanced: activityAfter > activityBefore };
  };

  /** Record one state: fixture, title, hooks since `since`, and whether output continues. */
  const record = async (state, v, since, extra = {}) => {
    const watched = v.dead ? { distinctScreens: 1, titles: [v.title], changedLines: [], windowActivityAdvanced: false } : await watch();
    const hooks = readHooks(run).filter((h) => h.t >= since).map((h) => hookSummary(h, since));
    writeFileSync(join(screensDir, fixtureName(state)), v.screen);
    const entry = { state, fixture: fixtureName(state), title: v.title, windowName: v.windowName, hookOption: v.hook,
      dead: v.dead, deadStatus: v.deadStatus, hooks, watch: watched, ...extra };
    result.states.push(entry);
    log(`${state}: title="${v.title}" hooks=${hooks.map((h) => `${h.event}+${h.ms}`).join(',')} screens=${watched.distinctScreens}`);
    return entry;
  };
  const missed = async (state, what) => {
    const v = await view().catch(() => null);
    const file = `${name}-${run.version}-${state}.MISSED.txt`;
    if (v) writeFileSync(join(resultsDir, file), v.screen);
    result.notes.push(`${state}: ${what} not seen before the deadline (screen in results/${file})`);
    log(`${state}: MISSED ${what}`);
  };
  /** Submit a prompt; resolves with the time Enter was pressed (hook latencies count from there). */
  const prompt = (text) => tmux.type(pane, text);
  /** Try key sequences until `gone(screen)` holds; returns the keys that worked and the screen after. */
  const answer = async (state, sequences, gone) => {
    const tried = [];
    for (const keys of sequences) {
      tried.push(keys.join(' '));
      const keyAt = Date.now();
      await tmux.keys(pane, keys);
      const after = await waitFor((s, t) => gone(s, t), 2500);
      if (after) {
        await sleep(1500);
        const hooks = readHooks(run).filter((h) => h.t >= keyAt).map((h) => hookSummary(h, keyAt));
        writeFileSync(join(screensDir, fixtureName(`${state}-after-${keys.join('-').toLowerCase()}`)), after.screen);
        result.keys.push({ state, keys: tried.join(' then '), worked: true, after: fixtureName(`${state}-after-${keys.join('-').toLowerCase()}`), hooks });
        return after;
      }
    }
    result.keys.push({ state, keys: tried.join(' then '), worked: false });
    return null;
  };
  const turn = (s, t) => profile.idle(s, t);

  try {
    mkdirSync(screensDir, { recursive: true });
    mkdirSync(resultsDir, { recursive: true });
    let since = Date.now();
    await startPane();

    // idle: straight into the input box.
    let v = await waitFor(profile.idle, 30_000);
    if (!v) { await missed('idle', 'input box'); return result; }
    await sleep(1500); // let startup hooks land
    await record('idle', await view(), since);

    // working: a reply streamed for 10 s.
    mock.push(run.api, { kind: 'text', seconds: 10, tokenMs: 200 });
    since = await prompt('Please write a long story');
    v = await waitFor(profile.working, 10_000);
    if (v) { await sleep(1000); await record('working', await view(), since); } else await missed('working', 'streamed words');
    await waitFor((s, t) => turn(s, t) && s.includes('Finished streaming'), 20_000);

    // done: a short final answer, back at the input.
    mock.push(run.api, { kind: 'text', text: 'All done: the final answer.' });
    since = await prompt('Finish up');
    v = await waitFor((s, t) => turn(s, t) && s.includes('the final answer'), 15_000);
    if (v) { await sleep(1500); await record('done', await view(), since); } else await missed('done', 'final answer');

    // permission: a shell command that needs approval; approved, then a second one denied.
    for (const [state, keys] of [['permission', profile.yes], ['permission-denied', profile.no]]) {
      mock.push(run.api, { kind: 'tool', ...TOOLS[name].permission }, { kind: 'text', text: `After the ${state}.` });
      since = await prompt(state === 'permission' ? 'Run the command' : 'Run it again');
      v = await waitFor(profile.permission, 15_000);
      if (!v) { await missed(state, 'permission prompt'); mock.clear(run.api); continue; }
      await sleep(7000); // Claude's Notification(permission_prompt) comes ~6 s after the prompt
      await record(state, await view(), since);
      await answer(state, keys, (s) => !profile.permission(s));
      await waitFor(turn, 10_000);
      mock.clear(run.api);
    }

    // question: a multiple-choice question from the model, answered with the second option.
    if (profile.beforeQuestion) { await tmux.keys(pane, profile.beforeQuestion); await sleep(700); }
    mock.push(run.api, { kind: 'tool', ...TOOLS[name].question }, { kind: 'text', text: 'After the question.' });
    since = await prompt('Ask me a question');
    v = await waitFor(profile.question, 15_000);
    if (v) {
      await sleep(7000);
      await record('question', await view(), since);
      await answer('question', profile.answer, (s) => !profile.question(s));
    } else await missed('question', 'question menu');
    await waitFor(turn, 10_000);
    mock.clear(run.api);
    if (profile.afterQuestion) { await tmux.keys(pane, profile.afterQuestion); await sleep(700); }

    // error: every retry fails the same way.
    for (let i = 0; i < 4; i++) mock.push(run.api, { kind: 'error', status: profile.errorStatus, message: `Mock error ${profile.errorStatus}` });
    since = await prompt('Trigger an error');
    v = await waitFor((s, t) => profile.error(s) && turn(s, t), 60_000);
    if (v) { await sleep(1500); await record('error', await view(), since, { status: profile.errorStatus }); } else await missed('error', 'error message');
    mock.clear(run.api);

    // interrupted: Esc while a reply streams.
    mock.push(run.api, { kind: 'text', seconds: 30, tokenMs: 200 });
    await prompt('Stream slowly');
    v = await waitFor(profile.working, 15_000);
    if (v) {
      await sleep(1000);
      since = Date.now();
      await tmux.keys(pane, ['Escape']);
      v = await waitFor((s, t) => profile.interrupted(s, t) && turn(s, t), 10_000)
        ?? await waitFor(profile.idle, 5_000);
      if (v) { await sleep(1500); await record('interrupted', await view(), since); } else await missed('interrupted', 'interrupt notice');
    } else await missed('interrupted', 'streaming before Esc');
    mock.clear(run.api);
    await sleep(500);

    // exited: the agent's own exit command, exit status from the dead pane.
    await tmux.keys(pane, [profile.exit], { literal: true });
    await sleep(500);
    since = Date.now();
    await tmux.keys(pane, ['Enter']);
    // pane_dead turns 1 when the pty closes; the exit status (and tmux's "Pane is dead" line) comes later.
    v = await waitFor((s, t, x) => x.dead && x.deadStatus !== '', 15_000) ?? await waitFor((s, t, x) => x.dead, 1_000);
    if (v) { await sleep(1000); await record('exited', await view(), since); } else await missed('exited', 'dead pane');

    // killed: tmux kill-session on a live idle agent; only hooks can tell (the pane is gone).
    await startPane();
    if (await waitFor(profile.idle, 30_000)) {
      await sleep(1500);
      since = Date.now();
      await tmux.cmd('kill-session', '-t', `${name}-${session}`);
      await sleep(3000);
      const hooks = readHooks(run).filter((h) => h.t >= since).map((h) => hookSummary(h, since));
      result.states.push({ state: 'killed', fixture: null, title: '', windowName: '', hookOption: '', dead: true, deadStatus: '',
        hooks, watch: null });
      log(`killed: hooks=${hooks.map((h) => `${h.event}+${h.ms}`).join(',') || 'none'}`);
    } else await missed('killed', 'second start');
  } finally {
    await tmux.kill();
    await mock.close();
    result.sideRequests = mock.requests.filter((r) => !r.main).map((r) => r.path).filter((p, i, all) => all.indexOf(p) === i);
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    rmSync(run.root, { recursive: true, force: true });
  }
  return result;
}

// ------------------------------------------------------------------------------------------------ RESULTS.md

const esc = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Lines of the fixture that identify the state: the ones a detector would look at. */
function markerLines(agent, state) {
  const file = join(screensDir, state.fixture ?? '');
  if (!state.fixture || !existsSync(file)) return '';
  // Only the bottom of the screen: older lines of the transcript may hold markers of earlier states.
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.trim().replace(/ {3,}/g, '  ')).filter(Boolean).slice(-14);
  const interesting = {
    claude: /esc to interrupt|\? for shortcuts|Do you want to proceed|Enter to select|API Error|Interrupted|Worked for|Pane is dead|^[✻✶✳✢·*] /,
    codex: /Working|esc to interrupt|\? for shortcuts|Would you like to run|Press enter to confirm|Question \d|enter to submit|■|Worked for|interrupt|Pane is dead/,
    gemini: /esc to cancel|Type your message|Allow execution|Answer Questions|Enter to select|Error|cancel|Pane is dead|Executing Hook/,
  }[agent];
  return lines.filter((l) => interesting.test(l) && !/^[▀▄─]+$/.test(l)).slice(-3).map((l) => `\`${esc(l.slice(0, 90))}\``).join('<br>');
}

function renderResults() {
  const all = readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')));
  const out = ['<!-- generated by capture.mjs: edit outside these markers -->', ''];
  for (const r of all) {
    out.push(`### ${r.agent} ${r.version}`, '', `\`${r.argv.join(' ')}\``, '');
    out.push('| state | screen marker lines | pane title | window | hooks fired (ms after the step\'s action) | output while waiting |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const s of r.states) {
      const hooks = s.hooks.map((h) => `${h.event} +${h.ms}${h.tool_name ? ` (${h.tool_name})` : ''}${h.notification_type ? ` (${h.notification_type})` : ''}${h.source ? ` (${h.source})` : ''}${h.reason ? ` (${h.reason})` : ''}${h.error ? ` (${esc(h.error)})` : ''}`).join('<br>') || '—';
      const w = s.watch;
      const watching = !w ? 'pane gone' : w.distinctScreens > 1 || w.titles.length > 1
        ? `changes: ${w.distinctScreens} screens/1.5 s${w.titles.length > 1 ? `, titles ${w.titles.map((t) => `"${esc(t)}"`).join(' / ')}` : ''}${w.changedLines.length ? `, lines ${w.changedLines.map((l) => `\`${esc(l)}\``).join(', ')}` : ''}`
        : `still${w.windowActivityAdvanced ? ' (window_activity advanced)' : ''}`;
      out.push(`| ${s.state}${s.dead ? ` (dead, status ${s.deadStatus || '?'})` : ''} | ${markerLines(r.agent, s)} | ${esc(s.title) || '—'} | ${esc(s.windowName) || '—'} | ${hooks} | ${watching} |`);
    }
    out.push('', 'Keys that answered prompts (tried in order until the prompt went away):', '');
    for (const k of r.keys) {
      const hooks = (k.hooks ?? []).map((h) => `${h.event} +${h.ms}${h.tool_name ? ` (${h.tool_name})` : ''}`).join(', ') || 'no hook';
      out.push(`- ${k.state}: \`${k.keys}\` → ${k.worked ? `prompt gone; screen after: \`real/${k.after}\`; hooks after the key: ${hooks}` : 'prompt still there'}`);
    }
    if (r.notes.length) { out.push('', 'Not captured:', ''); for (const n of r.notes) out.push(`- ${n}`); }
    out.push('', `Side requests answered briefly: ${r.sideRequests.map((p) => `\`${p}\``).join(', ') || 'none'}`, '');
  }
  out.push('<!-- end generated -->');
  const path = join(here, 'RESULTS.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Real agents: screens, titles and hooks per state\n\n<!-- generated by capture.mjs: edit outside these markers -->\n<!-- end generated -->\n';
  const start = text.indexOf('<!-- generated by capture.mjs');
  const end = text.indexOf('<!-- end generated -->');
  const merged = start >= 0 && end > start
    ? text.slice(0, start) + out.join('\n') + text.slice(end + '<!-- end generated -->'.length)
    : `${text}\n${out.join('\n')}\n`;
  writeFileSync(path, merged);
}

// `--render` rewrites RESULTS.md from results/*.json without running any agent.
const wanted = process.argv.includes('--render') ? [] : process.argv.slice(2).length ? process.argv.slice(2) : [...AGENTS];
for (const name of wanted) {
  if (!PROFILES[name]) throw new Error(`unknown agent ${name}; one of ${AGENTS.join(', ')}`);
  try {
    await captureAgent(name);
  } catch (error) {
    console.error(`[${name}] failed: ${error?.stack ?? error}`);
  }
}
renderResults();
