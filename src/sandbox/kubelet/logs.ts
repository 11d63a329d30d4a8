/** Per-container-instance logs kept in memory (bounded), with kube-style timestamps. */
export interface LogLine {
  /** epoch ms of simulated time */
  ts: number;
  /** sub-millisecond part (ns), so timestamps look like CRI's RFC3339Nano */
  nanos: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export class LogBuffer {
  readonly lines: LogLine[] = [];
  private bytes = 0;
  private partial: { stdout: string; stderr: string } = { stdout: '', stderr: '' };
  private seq = 0;
  private followers = new Set<(l: LogLine | null) => void>();
  closed = false;

  constructor(private readonly now: () => number, private readonly maxBytes = 1 << 20) {}

  /** append program output; complete lines are stored, a trailing partial line waits */
  write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.closed) return;
    const all = this.partial[stream] + text;
    const parts = all.split('\n');
    this.partial[stream] = parts.pop()!;
    for (const p of parts) this.push(stream, p);
  }

  private push(stream: 'stdout' | 'stderr', text: string): void {
    const line: LogLine = { ts: this.now(), nanos: (this.seq++ * 7919 + 104729) % 1_000_000, stream, text };
    this.lines.push(line);
    this.bytes += text.length + 1;
    while (this.bytes > this.maxBytes && this.lines.length > 1) this.bytes -= this.lines.shift()!.text.length + 1;
    for (const f of [...this.followers]) f(line);
  }

  /** the container stopped: flush a partial line and end followers */
  close(): void {
    if (this.closed) return;
    for (const s of ['stdout', 'stderr'] as const) if (this.partial[s]) this.push(s, this.partial[s]);
    this.closed = true;
    for (const f of [...this.followers]) f(null);
    this.followers.clear();
  }

  follow(fn: (l: LogLine | null) => void): () => void {
    this.followers.add(fn);
    return () => this.followers.delete(fn);
  }
}

/** RFC3339Nano as Go prints it (trailing zeros of the fraction trimmed) */
export function rfc3339Nano(ms: number, nanos: number): string {
  const base = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  const frac = String((ms % 1000) * 1_000_000 + nanos).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

export interface LogSelect {
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  now: number;
}

/** pure: which stored lines a request returns */
export function selectLines(lines: LogLine[], o: LogSelect): LogLine[] {
  let out = lines;
  let since = -Infinity;
  if (o.sinceSeconds !== undefined) since = o.now - o.sinceSeconds * 1000;
  if (o.sinceTime) since = Math.max(since, Date.parse(o.sinceTime));
  if (since > -Infinity) out = out.filter((l) => l.ts >= since);
  if (o.tailLines !== undefined && o.tailLines >= 0) out = o.tailLines === 0 ? [] : out.slice(-o.tailLines);
  return out;
}

export function formatLine(l: LogLine, timestamps?: boolean): string {
  return `${timestamps ? `${rfc3339Nano(l.ts, l.nanos)} ` : ''}${l.text}\n`;
}
