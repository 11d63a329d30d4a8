/**
 * A container's process table as `ps` shows it: PID 1 is the container's command, then whatever
 * is running now — exec sessions, the shells they start, their commands (pipeline stages run at
 * the same time, so `ps | grep ps` sees both). One table per container instance, keyed by the
 * instance's filesystem map (what every ShellEnv of that container shares); it goes away with it.
 */

export interface ProcEntry {
  pid: number;
  argv: string[];
  user: string;
}

export class ProcTable {
  private next = 7;
  private spawned = 0;
  readonly running = new Map<number, ProcEntry>();

  /** a new process; a top-level one (exec session) skips a few PIDs like runc's helpers do */
  spawn(argv: string[], user: string, topLevel: boolean): number {
    if (topLevel && this.spawned > 0) this.next += 5;
    const pid = this.next++;
    this.spawned++;
    this.running.set(pid, { pid, argv, user });
    return pid;
  }

  exit(pid: number): void {
    this.running.delete(pid);
  }

  list(): ProcEntry[] {
    return [...this.running.values()].sort((a, b) => a.pid - b.pid);
  }
}

const tables = new WeakMap<object, ProcTable>();

/** the process table of the container whose filesystem is `fs` */
export function procTable(fs: object): ProcTable {
  let t = tables.get(fs);
  if (!t) {
    t = new ProcTable();
    tables.set(fs, t);
  }
  return t;
}

/** busybox `ps` (PID USER TIME COMMAND), PID 1 first */
export function formatPs(main: { argv: string[]; user: string } | undefined, procs: ProcEntry[]): string {
  const row = (pid: number, user: string, cmd: string) => `${String(pid).padStart(5)} ${user.slice(0, 8).padEnd(8)} ${'0:00'.padStart(5)} ${cmd}\n`;
  let out = 'PID   USER     TIME  COMMAND\n';
  if (main) out += row(1, main.user, main.argv.join(' '));
  for (const p of procs) out += row(p.pid, p.user, p.argv.join(' '));
  return out;
}
