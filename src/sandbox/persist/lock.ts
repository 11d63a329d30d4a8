/**
 * Exclusive lock on a state dir: a `LOCK` file holding `{"pid","host","token"}`.
 *
 * Node has no flock(), so the lock is a file created atomically with link(2) (the content is
 * complete before the name appears; link fails with EEXIST if the lock is held). A lock whose pid
 * is dead (ESRCH) on this host is stale - left by a crash or kill -9 - and is taken over: the stale
 * file is first renamed to a unique name, so that when two processes race for the same stale lock
 * only one of them removes it, and a fresh lock grabbed by mistake is put back.
 *
 * Limits: a pid reused by an unrelated process makes a stale lock look live (the error names the
 * pid and the lock file to delete); locks written on another host are never taken over.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StateDirError } from './errors.js';

export const LOCK_FILE = 'LOCK';

interface LockInfo {
  pid: number;
  host?: string;
  token?: string;
}

/** dirs (resolved paths) locked by this process, to tell "held by us" from "stale, left by us" */
const heldHere = new Set<string>();

export class DirLock {
  private released = false;
  private constructor(
    private readonly fs: typeof nodeFs,
    readonly dir: string,
    private readonly token: string,
  ) {}

  static acquire(dir: string, fs: typeof nodeFs = nodeFs): DirLock {
    const lockPath = join(dir, LOCK_FILE);
    const token = randomBytes(12).toString('hex');
    const host = hostname();
    const mine: LockInfo = { pid: process.pid, host, token };
    const tmp = join(dir, `${LOCK_FILE}.${process.pid}.${token}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(mine) + '\n');
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          fs.linkSync(tmp, lockPath);
          heldHere.add(dir);
          return new DirLock(fs, dir, token);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const holder = readLock(fs, lockPath);
        if (holder === null) continue; // vanished meanwhile: try again
        if (holder !== undefined && isLive(holder, host, dir)) {
          throw StateDirError.locked(dir, holder.pid, holder.host !== host ? holder.host : undefined, lockPath);
        }
        if (attempt >= 20) throw new Error(`could not take over the stale lock ${lockPath}`);
        takeOver(fs, lockPath, holder, `${lockPath}.stale.${process.pid}.${token}`);
      }
    } finally {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* ignore */
      }
    }
  }

  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.dir);
    const lockPath = join(this.dir, LOCK_FILE);
    const holder = readLock(this.fs, lockPath);
    if (holder && holder.token === this.token) {
      try {
        this.fs.unlinkSync(lockPath);
      } catch {
        /* ignore */
      }
    }
  }

  /** Throws StateDirError LOCKED if a live process holds `dir`'s lock (used by reset). */
  static assertNotHeld(dir: string, fs: typeof nodeFs = nodeFs): void {
    const lockPath = join(dir, LOCK_FILE);
    const holder = readLock(fs, lockPath);
    const host = hostname();
    if (holder && isLive(holder, host, dir)) {
      throw StateDirError.locked(dir, holder.pid, holder.host !== host ? holder.host : undefined, lockPath);
    }
  }
}

/** null: no lock file; undefined: unreadable content (treated as stale) */
function readLock(fs: typeof nodeFs, lockPath: string): LockInfo | null | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return typeof info?.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

function isLive(holder: LockInfo, host: string, dir: string): boolean {
  if (holder.host !== undefined && holder.host !== host) return true; // cannot check: assume live
  if (holder.pid === process.pid) return heldHere.has(dir);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeOver(fs: typeof nodeFs, lockPath: string, stale: LockInfo | undefined, aside: string): void {
  try {
    fs.renameSync(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(fs, aside);
  const same = moved === undefined ? stale === undefined : moved !== null && moved.token === stale?.token && moved.pid === stale?.pid;
  if (!same) {
    // we moved someone else's fresh lock: put it back (fails harmlessly if yet another one appeared)
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      /* ignore */
    }
  }
  fs.unlinkSync(aside);
}
