/**
 * Command history for the prompt: ↑/↓ walk older/newer entries, keeping what was being typed as
 * a draft to come back to. Consecutive duplicates and blank lines are not stored. Optionally
 * persisted to a file (one line per entry) so it survives restarts.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface HistoryOptions {
  /** file to load from and append to */
  file?: string;
  /** most entries kept (default 1000) */
  max?: number;
}

export class History {
  private entries: string[] = [];
  /** index into entries while browsing; entries.length = not browsing */
  private pos = 0;
  private draft = '';

  constructor(private readonly o: HistoryOptions = {}) {
    if (o.file) {
      try {
        this.entries = readFileSync(o.file, 'utf8').split('\n').filter((l) => l.trim());
      } catch {
        this.entries = [];
      }
      this.trim();
    }
    this.pos = this.entries.length;
  }

  get size(): number {
    return this.entries.length;
  }

  list(): readonly string[] {
    return this.entries;
  }

  /** remember a submitted line and stop browsing */
  push(line: string): void {
    const l = line.replace(/\n/g, ' ');
    if (l.trim() && this.entries[this.entries.length - 1] !== l) {
      this.entries.push(l);
      if (this.o.file) {
        try {
          mkdirSync(dirname(this.o.file), { recursive: true });
          if (this.trim()) writeFileSync(this.o.file, this.entries.join('\n') + '\n');
          else appendFileSync(this.o.file, l + '\n');
        } catch {
          // history is a convenience: never fail the prompt over it
        }
      }
    }
    this.reset();
  }

  /** stop browsing (after submit or when the line is edited away) */
  reset(): void {
    this.pos = this.entries.length;
    this.draft = '';
  }

  /** ↑: the previous entry, or undefined at the oldest; `current` is saved as the draft */
  up(current: string): string | undefined {
    if (this.pos === 0) return undefined;
    if (this.pos === this.entries.length) this.draft = current;
    this.pos--;
    return this.entries[this.pos];
  }

  /** ↓: the next entry, the draft after the newest, undefined when not browsing */
  down(): string | undefined {
    if (this.pos >= this.entries.length) return undefined;
    this.pos++;
    return this.pos === this.entries.length ? this.draft : this.entries[this.pos];
  }

  private trim(): boolean {
    const max = this.o.max ?? 1000;
    if (this.entries.length <= max) return false;
    this.entries = this.entries.slice(-max);
    return true;
  }
}
