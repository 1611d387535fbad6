// A private tmux server (`tmux -L <name>`) for one test: the tests look at tmux through it and
// kill only it in teardown, never the user's default server.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export class PrivateTmux {
  /**
   * @param {{ socketName?: string, tmpDir?: string }} [options] tmpDir: TMUX_TMPDIR for this
   *   server; the editor under test gets the same, so even a tmux command that forgot the socket
   *   name could not reach the user's default server.
   */
  constructor({ socketName = `plexus-e2e-${randomBytes(4).toString('hex')}`, tmpDir } = {}) {
    if (!/^plexus-e2e-/.test(socketName)) throw new Error(`refusing a tmux socket not owned by the e2e suite: ${socketName}`);
    this.socketName = socketName;
    this.tmpDir = tmpDir;
  }

  /** The environment for tmux commands: this TMUX_TMPDIR, not nested in the runner's own tmux. */
  get env() {
    const env = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    if (this.tmpDir) env.TMUX_TMPDIR = this.tmpDir;
    return env;
  }

  /** Runs `tmux -L <socket> ...args` (arguments as a list, never through a shell). */
  async run(...args) {
    // -u: UTF-8 output whatever the locale (a C locale would print "é" as "_").
    const { stdout } = await execFileAsync('tmux', ['-u', '-L', this.socketName, ...args], { env: this.env });
    return stdout;
  }

  /** Session names on the private server; [] when no server runs. */
  async sessions() {
    try {
      const out = await this.run('list-sessions', '-F', '#{session_name}');
      return out.split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  async hasSession(name) {
    return (await this.sessions()).includes(name);
  }

  /** A detached session started from outside Plexus, as a user would in a plain terminal. */
  async newSession(name, command, { width = 120, height = 30 } = {}) {
    const args = ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height)];
    if (command) args.push(command);
    await this.run(...args);
  }

  /** The visible text of the session's active pane (`=name` targets exactly, never by prefix). */
  async capturePane(name) {
    return this.run('capture-pane', '-p', '-J', '-t', `=${name}:`);
  }

  /**
   * Terminal clients attached to the session. Control-mode clients (the Plexus host's own
   * connection, which tmux also counts in #{session_attached}) are left out.
   */
  async attachedClients(name) {
    const out = await this.run('list-clients', '-t', `=${name}`, '-F', '#{client_flags}');
    return out.split('\n').filter((flags) => flags && !flags.split(',').includes('control-mode')).length;
  }

  /** Where tmux puts the socket for `-L name` (tmux(1): $TMUX_TMPDIR or /tmp, then tmux-UID). */
  get socketPath() {
    return path.join(this.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.()}`, this.socketName);
  }

  /** Kills this private server only, and removes its socket file, which tmux leaves behind. */
  async killServer() {
    try {
      await this.run('kill-server');
    } catch {
      // No server was running on this socket: nothing to kill.
    }
    fs.rmSync(this.socketPath, { force: true });
  }
}
