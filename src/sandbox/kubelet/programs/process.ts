/**
 * A simulated process: what a program sees of its container. Nothing runs on the host; time is
 * the sandbox clock, output goes to the container log, sockets go to the listener table.
 */
import type { Clock, Timer } from '../../clock.js';
import type { HttpHandler } from '../listeners.js';
import type { ContainerNet } from './net.js';

export interface ProcessHost {
  clock: Clock;
  hostname: string;
  podIP: string;
  env: Record<string, string>;
  /** the container's writable filesystem (path → content) */
  fs: Map<string, string>;
  write(stream: 'stdout' | 'stderr', text: string): void;
  exited(code: number): void;
  listen(port: number, handler: HttpHandler): void;
  unlisten(port: number, handler: HttpHandler): void;
  /** the pod's network (absent: nothing resolves) */
  net?: ContainerNet;
}

/** thrown into a program's pending sleeps when the process is killed */
export class Killed extends Error {
  constructor() {
    super('killed');
  }
}

export class SimProcess {
  private timers = new Set<Timer>();
  private sleepers = new Set<(err?: Error) => void>();
  private ports: [number, HttpHandler][] = [];
  exited = false;
  exitCode: number | undefined;
  /** 'ignore': PID 1 without a handler (node, sh); a function: the program's handler */
  sigterm: 'ignore' | (() => void) = 'ignore';

  constructor(readonly host: ProcessHost) {}

  get clock(): Clock {
    return this.host.clock;
  }

  log(line: string): void {
    this.out(`${line}\n`);
  }

  out(text: string): void {
    if (!this.exited) this.host.write('stdout', text);
  }

  err(text: string): void {
    if (!this.exited) this.host.write('stderr', text);
  }

  after(ms: number, fn: () => void): void {
    if (this.exited) return;
    const t = this.host.clock.after(ms, () => {
      this.timers.delete(t);
      if (!this.exited) fn();
    });
    this.timers.add(t);
  }

  every(ms: number, fn: () => void): void {
    const tick = () => {
      fn();
      this.after(ms, tick);
    };
    this.after(ms, tick);
  }

  /** resolves after `ms` of simulated time; rejects with Killed if the process dies first */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Killed());
      const done = (err?: Error) => {
        this.sleepers.delete(done);
        if (err) reject(err);
        else resolve();
      };
      this.sleepers.add(done);
      this.after(ms, () => done());
    });
  }

  listen(port: number, handler: HttpHandler): void {
    this.ports.push([port, handler]);
    this.host.listen(port, handler);
  }

  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.exitCode = code;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    for (const [p, h] of this.ports) this.host.unlisten(p, h);
    for (const s of [...this.sleepers]) s(new Killed());
    this.host.exited(code);
  }

  signal(sig: 'SIGTERM' | 'SIGKILL'): void {
    if (this.exited) return;
    if (sig === 'SIGKILL') return this.exit(137);
    if (this.sigterm !== 'ignore') this.sigterm();
  }
}

/** a program: started with the container's argv (entrypoint/cmd resolved) */
export type Program = (proc: SimProcess, argv: string[]) => void;

/** busybox `date` default format: `Thu Mar  7 12:00:00 UTC 2019` */
export function busyboxDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
