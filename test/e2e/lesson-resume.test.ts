/**
 * End to end: the built binary in a real pseudo-terminal (tmux, 120×40), the way a learner runs it.
 * `kube-tutor learn cluster` shows step 1; the learner types the first three steps' commands and each
 * step completes; Ctrl-D quits with status 0 and leaves the terminal as it found it (line mode and
 * echo back on, main screen, cursor visible, at the start of a line). Started again with the same
 * config and data dirs, the lesson resumes at step 4. SIGTERM also leaves the terminal restored.
 * Skips when tmux or the build is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTmux, tmuxAvailable, type TmuxSession } from '../../scripts/tmux-driver.mjs';
import { KUBE_TUTOR_BIN, REPO_ROOT, kubeTutorBuilt } from '../helpers/kubectl.js';

const STEP_MS = 30_000;

/**
 * Runs the tutor under sh, then prints its exit code and the terminal's line-mode and echo settings
 * as the shell finds them once the tutor is gone: `EXIT=0 TTY=icanon echo`. The shell then stays
 * (until the session is killed) so the pane's terminal state is read from a live pane.
 */
const AFTER_EXIT = `"$0" "$1" learn cluster; code=$?
modes=$(stty -a | tr -s ' ;\\n' '\\n\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')
printf '\\nEXIT=%s TTY=%s\\n' "$code" "$modes"
exec sleep 600`;

describe.skipIf(!tmuxAvailable() || !kubeTutorBuilt())('a lesson in a pseudo-terminal, quit and resumed', () => {
  let home: string;
  let session: TmuxSession | undefined;

  const startLesson = async () => {
    session = await startTmux({
      argv: ['/bin/sh', '-c', AFTER_EXIT, process.execPath, KUBE_TUTOR_BIN],
      cols: 120,
      rows: 40,
      cwd: REPO_ROOT,
      env: { XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), TERM: 'xterm-256color', LANG: 'en_US.UTF-8', LC_ALL: undefined, LANGUAGE: undefined },
    });
    return session;
  };

  /** Ctrl-D, then what the shell saw: the tutor's exit code and the terminal modes it left */
  const quit = async (s: TmuxSession) => {
    await s.press('C-d');
    const text = await s.waitFor(/EXIT=\d+ TTY=.*\n/, { timeoutMs: STEP_MS });
    return /EXIT=(\d+) TTY=(.*)\n/.exec(text)!;
  };

  afterEach(async () => {
    await session?.kill();
    session = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  it('completes three steps, quits cleanly, and resumes at step 4', { timeout: 240_000 }, async () => {
    home = mkdtempSync(join(tmpdir(), 'kt-e2e-resume-'));
    const first = await startLesson();
    await first.waitFor(/Step 1\/6 /, { timeoutMs: STEP_MS });
    const commands = ['kubectl version', 'kubectl cluster-info', 'kubectl get nodes'];
    for (const [i, command] of commands.entries()) {
      await first.submit(command, { timeoutMs: STEP_MS });
      await first.waitFor(new RegExp(`Step ${i + 2}/6 `), { timeoutMs: STEP_MS });
    }
    const transcript = await first.capture({ history: true });
    for (const id of ['version', 'cluster-info', 'get-nodes']) expect(transcript).toContain(`Step done: ${id}`);
    expect(transcript).toMatch(/kube-tutor-worker\s+Ready/);

    const [, code, modes] = await quit(first);
    expect(code).toBe('0');
    expect(modes.trim()).toBe('icanon echo');
    const after = await first.state();
    expect(after).toMatchObject({ alternateScreen: false, cursorVisible: true, mouseReporting: false });
    await first.kill();

    const second = await startLesson();
    const resumed = await second.waitFor(/Step 4\/6 /, { timeoutMs: STEP_MS });
    expect(resumed).not.toMatch(/Step [1-3]\/6 /);
    expect(resumed).toMatch(/cluster 4\/6/);
    const [, code2] = await quit(second);
    expect(code2).toBe('0');
  });

  it('restores the terminal when the tutor is stopped with SIGTERM', { timeout: 120_000 }, async () => {
    home = mkdtempSync(join(tmpdir(), 'kt-e2e-term-'));
    const s = await startLesson();
    await s.waitFor(/Step 1\/6 /, { timeoutMs: STEP_MS });
    // the pane runs sh, and sh the tutor
    const tutor = execFileSync('pgrep', ['-P', String(await s.panePid())]).toString().trim().split('\n')[0]!;
    process.kill(Number(tutor), 'SIGTERM');
    const text = await s.waitFor(/EXIT=\d+ TTY=.*\n/, { timeoutMs: STEP_MS });
    const [, code, modes] = /EXIT=(\d+) TTY=(.*)\n/.exec(text)!;
    expect(code).toBe('0');
    expect(modes.trim()).toBe('icanon echo');
    expect(await s.state()).toMatchObject({ alternateScreen: false, cursorVisible: true, mouseReporting: false });
  });
});
