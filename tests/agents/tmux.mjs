// A private tmux server for the real-agent harness: `tmux -L plexus-agents-<random>`, never the default one.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class PrivateTmux {
  constructor() {
    this.socket = `plexus-agents-${randomBytes(4).toString('hex')}`;
  }

  /** Run one tmux command on this server; arguments as a list, never a joined string. */
  async cmd(...args) {
    const { stdout } = await run('tmux', ['-u', '-L', this.socket, ...args], { env: { ...process.env, TMUX: '' } });
    return stdout;
  }

  /**
   * Start `argv` in a new detached session; resolves with the pane id (%N).
   * @param {{ name: string, argv: string[], env: Record<string,string>, cwd: string, width?: number, height?: number }} o
   */
  async start({ name, argv, env, cwd, width = 120, height = 40 }) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const out = await this.cmd('new-session', '-d', '-P', '-F', '#{pane_id}', '-s', name, '-x', String(width), '-y', String(height),
      '-c', cwd, ...envArgs, '--', ...argv);
    const pane = out.trim();
    // Keep a dead pane so its exit status can be read (pane_dead_status).
    await this.cmd('set-option', '-p', '-t', pane, 'remain-on-exit', 'on');
    return pane;
  }

  /** The visible screen as plain text, trailing spaces stripped per line. */
  async capture(pane) {
    const text = await this.cmd('capture-pane', '-p', '-t', pane);
    return text.split('\n').map((line) => line.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '\n');
  }

  async format(pane, format) {
    return (await this.cmd('display-message', '-p', '-t', pane, format)).replace(/\n$/, '');
  }

  /** Pane title, window name, hook option and liveness of the pane at this moment. */
  async state(pane) {
    const f = '#{pane_title}\t#{window_name}\t#{@plexus-hook}\t#{pane_dead}\t#{pane_dead_status}\t#{window_activity}';
    const [title, windowName, hook, dead, deadStatus, activity] = (await this.format(pane, f)).split('\t');
    return { title, windowName, hook, dead: dead === '1', deadStatus, activity: Number(activity) };
  }

  /** Send tmux key names (e.g. 'Enter', 'Escape', 'C-c') or, with literal, text. */
  async keys(pane, keys, { literal = false } = {}) {
    await this.cmd('send-keys', '-t', pane, ...(literal ? ['-l'] : []), ...keys);
  }

  /** Type text, then press Enter separately (a pasted newline is not a submit in every TUI); resolves with
   * the time Enter was sent. */
  async type(pane, text) {
    await this.keys(pane, [text], { literal: true });
    await sleep(300);
    const at = Date.now();
    await this.keys(pane, ['Enter']);
    return at;
  }

  /**
   * Poll the screen every 100 ms until `pred(screen)` holds; resolves with the screen, or null at the deadline.
   * @param {string} pane @param {(screen: string) => boolean} pred @param {number} timeoutMs
   */
  async waitFor(pane, pred, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let screen = '';
      try { screen = await this.capture(pane); } catch { return null; }
      if (pred(screen)) return screen;
      if (Date.now() > deadline) return null;
      await sleep(100);
    }
  }

  async kill() {
    try { await this.cmd('kill-server'); } catch { /* already gone */ }
    // tmux 3.3a leaves the socket file behind after kill-server.
    const uid = process.getuid?.() ?? 0;
    rmSync(`${process.env.TMUX_TMPDIR ?? '/tmp'}/tmux-${uid}/${this.socket}`, { force: true });
  }
}
