/**
 * Drives a program in a real pseudo-terminal through tmux, for end-to-end tests and screen captures.
 *
 * Every session gets its own tmux server on a socket in a fresh temp dir (`tmux -S`), in UTF-8 mode
 * (`-u`) and with no config file (`-f /dev/null`), so a user's tmux server and settings are never
 * touched. The pane is
 * exactly cols × rows (no status bar) and stays readable after the program exits (remain-on-exit),
 * so its exit status and final terminal modes can be read. The server inherits the environment given
 * here (without TMUX, and without CI, which makes Ink draw as if on a dumb terminal).
 *
 *   const s = await startTmux({ argv: ['node', 'bin/kube-tutor', 'sandbox'], cols: 120, rows: 40, env });
 *   await s.waitFor(/❯/);
 *   await s.submit('kubectl get nodes');   // types, waits until the screen echoes it, presses Enter
 *   await s.press('C-d');
 *   const status = await s.waitForExit();
 *   await s.kill();
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_MS = 50;
const DEFAULT_TIMEOUT_MS = 30_000;
/** variables never passed to the tmux server: a parent tmux's, and CI (Ink stops redrawing under CI) */
const DROPPED_ENV = ['TMUX', 'TMUX_PANE', 'CI'];

/** whether a tmux binary can be run */
export function tmuxAvailable() {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start `argv` (run directly, no shell) in a new detached tmux session of `cols` × `rows`.
 * `env` is merged over the current environment; an `undefined` value removes a variable.
 * @param {{ argv: string[], cols: number, rows: number, env?: Record<string, string | undefined>, cwd?: string }} o
 */
export async function startTmux(o) {
  const dir = mkdtempSync(join(tmpdir(), 'kt-tmux-'));
  const socket = join(dir, 'tmux.sock');
  const env = { ...process.env, ...o.env };
  for (const name of DROPPED_ENV) delete env[name];
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const tmux = (args) => run(['-S', socket, ...args], { env, cwd: o.cwd });
  try {
    const out = await tmux([
      '-u', '-f', '/dev/null', 'start-server', ';',
      'set-option', '-g', 'status', 'off', ';',
      'set-option', '-g', 'remain-on-exit', 'on', ';',
      'set-option', '-g', 'history-limit', '10000', ';',
      'new-session', '-d', '-P', '-F', '#{pane_id}', '-x', String(o.cols), '-y', String(o.rows),
      ...(o.cwd ? ['-c', o.cwd] : []), '--', ...o.argv,
    ]);
    return new TmuxSession(tmux, out.trim(), dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** run tmux with `args`; resolves with its stdout, rejects with its stderr */
function run(args, { env, cwd }) {
  return new Promise((resolve, reject) => {
    execFile('tmux', args, { env, cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tmux ${args.slice(2).join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** one program running in one tmux pane */
export class TmuxSession {
  constructor(tmux, pane, dir) {
    this.tmux = tmux;
    this.pane = pane;
    this.dir = dir;
  }

  /** type `text` literally (no key names) */
  async type(text) {
    await this.tmux(['send-keys', '-t', this.pane, '-l', '--', text]);
  }

  /** press keys by tmux name: 'Enter', 'C-d', 'Escape', 'Up', … */
  async press(...keys) {
    await this.tmux(['send-keys', '-t', this.pane, ...keys]);
  }

  /**
   * Type a line, wait until the screen shows it once more than before (the program has read it, so
   * Enter arrives as its own keystroke rather than inside the typed text), then press Enter.
   */
  async submit(text, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const shown = async () => (await this.capture()).split(text).length - 1;
    const before = await shown();
    await this.type(text);
    await this.until(async () => (await shown()) > before, `the screen to echo ${JSON.stringify(text)}`, timeoutMs, () => this.capture());
    await this.press('Enter');
  }

  /**
   * The pane as text. By default the visible screen, one line per row (a screen capture); with
   * `history`, the scrollback too, with wrapped lines joined (for searching).
   */
  async capture({ history = false } = {}) {
    const args = ['capture-pane', '-p', '-t', this.pane];
    if (history) args.push('-J', '-S', '-');
    return this.tmux(args);
  }

  /**
   * Wait until the pane (scrollback included unless `history: false`) matches `re`; returns that text.
   * Fails at the deadline, or when the program exits without having matched.
   */
  async waitFor(re, { timeoutMs = DEFAULT_TIMEOUT_MS, history = true } = {}) {
    let text = '';
    await this.until(async () => {
      text = await this.capture({ history });
      if (re.test(text)) return true;
      if ((await this.state()).dead) throw new Error(`the program exited while waiting for ${re}:\n${tail(text)}`);
      return false;
    }, `${re}`, timeoutMs, () => tail(text));
    return text;
  }

  /** wait until the screen stays the same for `quietMs` (a redraw has finished); returns it */
  async settle({ quietMs = 500, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    let last = await this.capture();
    let since = Date.now();
    await this.until(async () => {
      const now = await this.capture();
      if (now !== last) [last, since] = [now, Date.now()];
      return Date.now() - since >= quietMs;
    }, `the screen to stay still for ${quietMs} ms`, timeoutMs);
    return last;
  }

  /** wait for the program to exit; resolves with its exit status */
  async waitForExit({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    let status = null;
    await this.until(async () => {
      const s = await this.state();
      status = s.exitStatus;
      return s.dead;
    }, 'the program to exit', timeoutMs, async () => tail(await this.capture({ history: true })));
    return status;
  }

  /** the pane's terminal state: whether the program is gone, and the modes it left set */
  async state() {
    const fields = ['pane_dead', 'pane_dead_status', 'alternate_on', 'cursor_flag', 'cursor_x', 'cursor_y', 'mouse_any_flag', 'keypad_cursor_flag'];
    const out = await this.tmux(['display-message', '-p', '-t', this.pane, fields.map((f) => `#{${f}}`).join(' ')]);
    const [dead, status, alternate, cursor, x, y, mouse, keypad] = out.trim().split(' ');
    return {
      dead: dead === '1',
      exitStatus: status === '' || status === undefined ? null : Number(status),
      alternateScreen: alternate === '1',
      cursorVisible: cursor === '1',
      cursorX: Number(x),
      cursorY: Number(y),
      mouseReporting: mouse === '1',
      applicationCursorKeys: keypad === '1',
    };
  }

  /** the pid of the pane's process (the command the session was started with) */
  async panePid() {
    return Number((await this.tmux(['display-message', '-p', '-t', this.pane, '#{pane_pid}'])).trim());
  }

  /** stop the tmux server (and with it the program) and remove the socket's temp dir */
  async kill() {
    try {
      await this.tmux(['kill-server']);
    } catch {
      // the server is already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** poll `check` every POLL_MS until it returns true; at `timeoutMs`, fail naming `what` */
  async until(check, what, timeoutMs, detail) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) {
        const more = detail ? `\n${await detail()}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${more}`);
      }
      await sleep(POLL_MS);
    }
  }
}

/** the last lines of a capture, for error messages */
function tail(text, lines = 40) {
  return text.replace(/\n+$/, '').split('\n').slice(-lines).join('\n');
}
