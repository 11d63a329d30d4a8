/**
 * The sandbox's durable store: an append-only, checksummed, fsync'ed log of object writes plus a
 * periodically rewritten snapshot, in a dedicated state dir. Pure `node:fs`, no native code.
 *
 * USE
 *   const { log, loaded } = StateLog.open(dir);      // or EphemeralLog.open() for --ephemeral
 *   // loaded.objects: key -> object, loaded.lastRv: the resourceVersion counter to continue from
 *   await log.append([{ rv, key, object }]);         // object null = deleted; resolves once durable
 *   await log.close();
 *   StateLog.reset(dir);                             // --reset: delete the dir (refused while locked)
 *
 * The owner acknowledges a write to its client only after `append` resolves. `append` serializes
 * the records synchronously (later mutation of the objects by the caller does not affect what is
 * stored). Appends are written in call order; all appends made while the previous write+fsync is in
 * flight (and all made in the same event-loop turn) go out as ONE frame with ONE write and ONE
 * fsync (group commit; up to ~16 MiB per frame). The records of one append call are in one frame,
 * so they survive a crash all together or not at all. If a write or fsync fails, the log becomes
 * unusable: that append and every later one rejects (restart to recover; the dir still loads).
 *
 * COMPACTION is automatic and internal: the log keeps the latest serialized record of every live
 * key, so it can write a snapshot without help from the owner. After a commit, when the dir holds
 * at least `compactAfterBytes` (default 8 MiB) of superseded data (overwritten or deleted records)
 * AND at least as much superseded as live data (so the disk use stays under ~2x the live data plus
 * the threshold, and a create-only workload never pays for compaction), the log rotates to a new
 * segment and writes the snapshot in the background while appends continue into the new segment.
 * `compact()` forces one (and waits for it; concurrent calls may share one compaction).
 *
 * STATE DIR - dedicated to this log, e.g. `<sandbox state>/store`: `reset` removes the whole dir
 * (files it does not know are ignored by `open`).
 *   FORMAT          "kube-tutor state format 1\n" - written once, before anything else
 *   LOCK            {"pid","host","token"} of the process that has the dir open (see lock.ts)
 *   snapshot        optional; header + frames of records, one record per live object
 *   log.00000001    log segments; header + frames, one frame per group-committed batch
 *   *.tmp           files being written; deleted at open
 *
 *   Every data file starts with a header line  `kube-tutor-state {"format":1,"type":...}\n`:
 *     log:      {"format":1,"type":"log","seq":N}
 *     snapshot: {"format":1,"type":"snapshot","lastRv":R,"nextSeq":S,"records":K}
 *   then frames (frame.ts): u32le len | u32le crc32(len) | u32le crc32(payload) | payload,
 *   payload = records as JSON `{"rv":12,"key":"...","object":{...}|null}` separated by '\n'.
 *
 *   State = snapshot (objects + lastRv, covering every segment < nextSeq), then the records of
 *   segments nextSeq, nextSeq+1, ... replayed in order (without a snapshot: from segment 1).
 *   lastRv = max(snapshot lastRv, every replayed rv) - deletes count, so the counter never goes back.
 *
 * CRASH SAFETY (kill -9 or power loss at any point)
 *   - append resolves after the frame is written and fsync'ed; a crash mid-write leaves a torn
 *     tail in the LAST segment: a partial frame or garbage up to EOF. At open, the first invalid
 *     frame of the last segment is the end of the log if no valid frame follows it anywhere; the
 *     file is truncated there. A bad frame FOLLOWED by valid ones is damage, not a crash: refused.
 *   - new files (FORMAT, segments, snapshot) are written as *.tmp, fsync'ed, renamed, and the dir
 *     is fsync'ed, so they never appear half-written.
 *   - compaction: (1) create segment N+1 and switch appends to it; (2) write snapshot.tmp with
 *     nextSeq N+1, fsync, rename over `snapshot`, fsync dir; (3) delete segments <= N. A crash
 *     before (2) completes loads old snapshot + all segments; after it, segments <= N are ignored
 *     and deleted at open.
 *   Refused at open (StateDirError, message says to use --reset): damage in the middle of a file,
 *   a damaged snapshot, a missing segment, data files without FORMAT, any format > 1.
 *   Caveat: on macOS fsync does not flush the drive cache (F_FULLFSYNC is not reachable from
 *   node:fs), so power loss there can lose recent writes; kill -9 cannot.
 */
import * as nodeFs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KObject } from '../apiserver/types.js';
import { StateDirError } from './errors.js';
import {
  MAX_FRAME_BYTES,
  decodeHeader,
  encodeFrame,
  encodeHeader,
  readFrame,
  validFrameAfter,
  type FileHeader,
} from './frame.js';
import { DirLock } from './lock.js';

/** the on-disk format this code writes and the newest it reads */
export const STATE_FORMAT = 1;
export const DEFAULT_COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

const FORMAT_FILE = 'FORMAT';
const FORMAT_TEXT = `kube-tutor state format ${STATE_FORMAT}\n`;
const SNAPSHOT_FILE = 'snapshot';
const SEGMENT_RE = /^log\.(\d+)$/;
const TMP_RE = /^(?:FORMAT|snapshot|log\.\d+)\.tmp$/;
/** group commit: at most about this much (UTF-16 units) per frame */
const COMMIT_CHARS = 16 * 1024 * 1024;
/** payload bytes per snapshot frame */
const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

const segmentName = (seq: number) => `log.${String(seq).padStart(8, '0')}`;

/** One write: the object stored under `key` at resourceVersion `rv`; `object: null` = deleted. */
export interface LogRecord {
  rv: number;
  key: string;
  object: KObject | null;
}

export interface Loaded {
  /** every live object by key (freshly parsed: the caller owns them) */
  objects: Map<string, KObject>;
  /** highest rv ever appended (including deletes); 0 for a new dir */
  lastRv: number;
}

/** What the sandbox store needs from its persistence; StateLog and EphemeralLog implement it. */
export interface DurableLog {
  /** Resolves once the records are durable (fsync'ed). Empty array = barrier for earlier appends. */
  append(records: readonly LogRecord[]): Promise<void>;
  /** Forces a snapshot + fresh log segment now; automatic compaction needs no call. */
  compact(): Promise<void>;
  /** Waits for pending appends and compaction, then releases the dir. Idempotent. */
  close(): Promise<void>;
}

export interface StateLogOptions {
  /** compact once this many bytes of superseded records are on disk (default 8 MiB); see above */
  compactAfterBytes?: number;
  /** called when a background compaction fails (the log stays valid; it retries later) */
  onCompactionError?: (err: Error) => void;
  /** file system implementation (tests inject a spy); defaults to node:fs */
  fs?: typeof nodeFs;
}

export interface StateLogStats {
  /** approximate bytes of a snapshot taken now */
  liveBytes: number;
  /** sequence number of the segment being appended to */
  segment: number;
  /** segment files that exist (not yet removed by a compaction) */
  segments: number[];
  /** log bytes written since the last snapshot (the compaction trigger) */
  uncompactedBytes: number;
  snapshotBytes: number;
  /** frames written (= write+fsync pairs) since open */
  commits: number;
  compactions: number;
  compacting: boolean;
  lastRv: number;
  liveObjects: number;
}

interface Entry {
  rv: number;
  key: string;
  /** serialized record */
  line: string;
  deleted: boolean;
}

interface Pending {
  entries: Entry[];
  /** total serialized length (UTF-16 units) */
  chars: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class StateLog implements DurableLog {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private writing = false;
  private compactWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** the running compaction (never rejects) */
  private compacting: Promise<void> | undefined;
  /** after a failed automatic compaction, wait until the log reaches this many bytes */
  private retryCompactionAt = 0;
  private failed: Error | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private commits = 0;
  private compactions = 0;
  private readonly compactAfterBytes: number;
  /** approximate size of a snapshot of `live` now (string lengths, not UTF-8 bytes) */
  private liveBytes = 0;

  private constructor(
    private readonly fs: typeof nodeFs,
    readonly dir: string,
    private readonly lock: DirLock,
    private readonly opts: StateLogOptions,
    /** segment being appended to, its fd and its length */
    private seq: number,
    private fd: number,
    private pos: number,
    /** every existing segment not covered by the snapshot -> its size */
    private readonly segments: Map<number, number>,
    private snapshotBytes: number,
    /** key -> serialized latest record of every live key (what a snapshot consists of) */
    private readonly live: Map<string, string>,
    private lastRv: number,
  ) {
    this.compactAfterBytes = opts.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    for (const line of live.values()) this.liveBytes += line.length + 1;
  }

  /**
   * Opens (creating if needed) the state dir: takes its lock, replays snapshot + log segments,
   * truncates a torn tail. Throws StateDirError (LOCKED / CORRUPT / NEWER_FORMAT) with a message
   * fit for the user.
   */
  static open(dir: string, opts: StateLogOptions = {}): { log: StateLog; loaded: Loaded } {
    const fs = opts.fs ?? nodeFs;
    const abs = resolve(dir);
    if (fs.mkdirSync(abs, { recursive: true }) !== undefined) fsyncDirSync(fs, dirname(abs)); // new dir: make its entry durable
    const lock = DirLock.acquire(abs, fs);
    let fd: number | undefined;
    try {
      const st = loadDir(fs, abs);
      let seq: number;
      let pos: number;
      if (st.lastSeq === undefined) {
        seq = st.baseSeq;
        fd = createSegmentSync(fs, abs, seq);
        pos = fs.fstatSync(fd).size;
        st.segments.set(seq, pos);
      } else {
        seq = st.lastSeq;
        fd = fs.openSync(join(abs, segmentName(seq)), 'r+');
        pos = st.segments.get(seq)!;
        if (fs.fstatSync(fd).size !== pos) {
          fs.ftruncateSync(fd, pos); // torn tail
          fs.fsyncSync(fd);
        }
      }
      const log = new StateLog(fs, abs, lock, opts, seq, fd, pos, st.segments, st.snapshotBytes, st.live, st.lastRv);
      return { log, loaded: { objects: st.objects, lastRv: st.lastRv } };
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      lock.release();
      throw e;
    }
  }

  /** Deletes the state dir (for --reset). Throws StateDirError LOCKED if a live process has it open. */
  static reset(dir: string, opts: { fs?: typeof nodeFs } = {}): void {
    const fs = opts.fs ?? nodeFs;
    const abs = resolve(dir);
    if (!fs.existsSync(abs)) return;
    DirLock.assertNotHeld(abs, fs);
    fs.rmSync(abs, { recursive: true, force: true });
  }

  append(records: readonly LogRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('StateLog is closed'));
    let entries: Entry[];
    let chars = 0;
    try {
      entries = records.map(encodeRecord);
      for (const e of entries) chars += e.line.length + 1;
      if (chars * 3 > MAX_FRAME_BYTES && entries.reduce((n, e) => n + Buffer.byteLength(e.line) + 1, 0) > MAX_FRAME_BYTES) {
        throw new RangeError(`a single append of ${entries.length} records is too large (over ${MAX_FRAME_BYTES} bytes)`);
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entries, chars, resolve, reject });
      this.kick();
    });
  }

  compact(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('StateLog is closed'));
    return new Promise<void>((resolve, reject) => {
      this.compactWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  close(): Promise<void> {
    if (!this.closing) {
      const barrier = new Promise<void>((resolve, reject) => {
        this.queue.push({ entries: [], chars: 0, resolve, reject });
        this.kick();
      });
      this.closed = true;
      this.closing = (async () => {
        await barrier.catch(() => undefined);
        while (this.compacting) await this.compacting;
        await call<void>((cb) => this.fs.close(this.fd, cb)).catch(() => undefined);
        this.lock.release();
      })();
    }
    return this.closing;
  }

  stats(): StateLogStats {
    return {
      segment: this.seq,
      liveBytes: this.liveBytes,
      segments: [...this.segments.keys()].sort((a, b) => a - b),
      uncompactedBytes: this.uncompactedBytes(),
      snapshotBytes: this.snapshotBytes,
      commits: this.commits,
      compactions: this.compactions,
      compacting: this.compacting !== undefined,
      lastRv: this.lastRv,
      liveObjects: this.live.size,
    };
  }

  private uncompactedBytes(): number {
    let n = 0;
    for (const b of this.segments.values()) n += b;
    return n;
  }

  // ---- writer ---------------------------------------------------------------------------------

  private kick(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate, not a microtask: every append made in this event-loop turn joins the batch
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** The single writer: one frame (one write + one fsync) per round, for everything queued. */
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (!this.failed && (this.queue.length > 0 || this.compactWaiters.length > 0)) {
        // everything queued, up to COMMIT_CHARS per frame (a bigger single append goes alone)
        let take = 0;
        for (let chars = 0; take < this.queue.length && (take === 0 || chars < COMMIT_CHARS); take++) {
          chars += this.queue[take].chars;
        }
        const batch = this.queue.splice(0, take);
        if (batch.length > 0) {
          const lines: string[] = [];
          for (const p of batch) for (const e of p.entries) lines.push(e.line);
          if (lines.length > 0) {
            try {
              const frame = encodeFrame(lines);
              await writeAll(this.fs, this.fd, frame, this.pos);
              await call<void>((cb) => this.fs.fsync(this.fd, cb));
              this.pos += frame.length;
              this.segments.set(this.seq, this.pos);
              this.commits++;
            } catch (e) {
              // the segment may now end in a partial frame: no further appends (the next open
              // truncates it as a torn tail)
              this.failed = new Error(`writing the sandbox state log in ${this.dir} failed: ${(e as Error).message}`, {
                cause: e,
              });
              for (const p of batch) p.reject(this.failed);
              break;
            }
            for (const p of batch) {
              for (const e of p.entries) {
                const old = this.live.get(e.key);
                if (old !== undefined) this.liveBytes -= old.length + 1;
                if (e.deleted) {
                  this.live.delete(e.key);
                } else {
                  this.live.set(e.key, e.line);
                  this.liveBytes += e.line.length + 1;
                }
                if (e.rv > this.lastRv) this.lastRv = e.rv;
              }
            }
          }
          for (const p of batch) p.resolve();
        }
        if (this.compactWaiters.length > 0 || this.shouldCompact()) {
          const waiters = this.compactWaiters.splice(0);
          while (this.compacting) await this.compacting;
          const { rotated, done } = this.startCompaction();
          done.then(
            () => waiters.forEach((w) => w.resolve()),
            (e: Error) => waiters.forEach((w) => w.reject(e)),
          );
          await rotated;
        }
      }
    } finally {
      this.writing = false;
    }
    if (this.failed) {
      for (const p of this.queue.splice(0)) p.reject(this.failed);
      for (const w of this.compactWaiters.splice(0)) w.reject(this.failed);
    } else if (this.queue.length > 0 || this.compactWaiters.length > 0) {
      this.kick();
    }
  }

  private shouldCompact(): boolean {
    if (this.compacting) return false;
    const log = this.uncompactedBytes();
    if (log < this.retryCompactionAt) return false;
    // superseded bytes on disk: what a compaction would reclaim
    const garbage = this.snapshotBytes + log - this.liveBytes;
    return garbage >= this.compactAfterBytes && garbage >= this.liveBytes;
  }

  /**
   * Called by the writer between frames. `rotated` settles (never rejects) once appends go to the
   * new segment - the writer waits only for that; the snapshot is then written in the background
   * while appends continue. `done` settles when the whole compaction has finished.
   */
  private startCompaction(): { rotated: Promise<void>; done: Promise<void> } {
    let markRotated!: () => void;
    const rotated = new Promise<void>((r) => (markRotated = r));
    const done = (async () => {
      try {
        const nextSeq = this.seq + 1;
        const seg = await createSegment(this.fs, this.dir, nextSeq);
        const oldFd = this.fd;
        this.seq = nextSeq;
        this.fd = seg.fd;
        this.pos = seg.size;
        this.segments.set(nextSeq, seg.size);
        const lines = [...this.live.values()];
        const lastRv = this.lastRv;
        markRotated();
        await call<void>((cb) => this.fs.close(oldFd, cb)).catch(() => undefined);
        this.snapshotBytes = await writeSnapshot(this.fs, this.dir, lines, lastRv, nextSeq);
        this.compactions++;
        this.retryCompactionAt = 0;
        for (const s of [...this.segments.keys()]) {
          if (s >= nextSeq) continue;
          this.segments.delete(s);
          // a segment that fails to go away is deleted at the next open
          await call<void>((cb) => this.fs.unlink(join(this.dir, segmentName(s)), cb)).catch(() => undefined);
        }
      } catch (e) {
        markRotated();
        const err = e instanceof Error ? e : new Error(String(e));
        this.retryCompactionAt = this.uncompactedBytes() + this.compactAfterBytes;
        this.opts.onCompactionError?.(err);
        throw err;
      }
    })();
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.compacting = tracked;
    void tracked.then(() => {
      if (this.compacting === tracked) this.compacting = undefined;
    });
    return { rotated, done };
  }
}

// ---- record encoding ----------------------------------------------------------------------------

function encodeRecord(r: LogRecord): Entry {
  if (typeof r !== 'object' || r === null) throw new TypeError('log record must be an object');
  if (!Number.isSafeInteger(r.rv) || r.rv < 0) throw new TypeError(`log record rv must be a non-negative integer, got ${r.rv}`);
  if (typeof r.key !== 'string' || r.key === '') throw new TypeError('log record key must be a non-empty string');
  if (r.object !== null && (typeof r.object !== 'object' || Array.isArray(r.object))) {
    throw new TypeError(`log record object for ${r.key} must be an object or null`);
  }
  const line = JSON.stringify({ rv: r.rv, key: r.key, object: r.object });
  return { rv: r.rv, key: r.key, line, deleted: r.object === null };
}

function decodeRecord(line: string): LogRecord | undefined {
  let r: LogRecord;
  try {
    r = JSON.parse(line) as LogRecord;
  } catch {
    return undefined;
  }
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.rv !== 'number' ||
    typeof r.key !== 'string' ||
    r.object === undefined ||
    (r.object !== null && typeof r.object !== 'object')
  ) {
    return undefined;
  }
  return r;
}

// ---- loading ------------------------------------------------------------------------------------

interface DirState {
  objects: Map<string, KObject>;
  live: Map<string, string>;
  lastRv: number;
  /** first segment the state needs (snapshot's nextSeq, or 1) */
  baseSeq: number;
  /** existing segments >= baseSeq -> valid length */
  segments: Map<number, number>;
  lastSeq: number | undefined;
  snapshotBytes: number;
}

function loadDir(fs: typeof nodeFs, dir: string): DirState {
  const names = fs.readdirSync(dir);
  for (const n of names) if (TMP_RE.test(n)) fs.unlinkSync(join(dir, n));

  const segs: number[] = [];
  for (const n of names) {
    const m = SEGMENT_RE.exec(n);
    if (m) segs.push(Number(m[1]));
  }
  segs.sort((a, b) => a - b);
  const hasSnapshot = names.includes(SNAPSHOT_FILE);

  if (names.includes(FORMAT_FILE)) {
    const text = fs.readFileSync(join(dir, FORMAT_FILE), 'utf8');
    const m = /^kube-tutor state format (\d+)\n?$/.exec(text);
    if (!m) throw StateDirError.corrupt(dir, `unrecognized ${FORMAT_FILE} file`);
    const v = Number(m[1]);
    if (v > STATE_FORMAT) throw StateDirError.newerFormat(dir, v, STATE_FORMAT);
  } else if (hasSnapshot || segs.length > 0) {
    throw StateDirError.corrupt(dir, `the ${FORMAT_FILE} file is missing`);
  } else {
    writeFileDurableSync(fs, dir, FORMAT_FILE, FORMAT_TEXT);
  }

  const st: DirState = {
    objects: new Map(),
    live: new Map(),
    lastRv: 0,
    baseSeq: 1,
    segments: new Map(),
    lastSeq: undefined,
    snapshotBytes: 0,
  };

  const apply = (line: string, file: string): void => {
    const r = decodeRecord(line);
    if (!r) throw StateDirError.corrupt(dir, `malformed record in ${file}`);
    if (r.object === null) {
      st.objects.delete(r.key);
      st.live.delete(r.key);
    } else {
      st.objects.set(r.key, r.object);
      st.live.set(r.key, line);
    }
    if (r.rv > st.lastRv) st.lastRv = r.rv;
  };

  if (hasSnapshot) {
    const buf = fs.readFileSync(join(dir, SNAPSHOT_FILE));
    st.snapshotBytes = buf.length;
    const h = checkHeader(dir, SNAPSHOT_FILE, buf, 'snapshot');
    const { lastRv, nextSeq, records } = h.header;
    if (!isCount(lastRv) || !isCount(nextSeq) || nextSeq < 1 || !isCount(records)) {
      throw StateDirError.corrupt(dir, `bad ${SNAPSHOT_FILE} header`);
    }
    let count = 0;
    for (let pos = h.end; pos < buf.length; ) {
      const f = readFrame(buf, pos);
      if (!f.ok) throw StateDirError.corrupt(dir, `bad checksum in ${SNAPSHOT_FILE} at byte ${pos}`);
      for (const line of buf.toString('utf8', f.payloadStart, f.end).split('\n')) {
        apply(line, SNAPSHOT_FILE);
        count++;
      }
      pos = f.end;
    }
    if (count !== records) throw StateDirError.corrupt(dir, `${SNAPSHOT_FILE} has ${count} records, expected ${records}`);
    if (lastRv > st.lastRv) st.lastRv = lastRv;
    st.baseSeq = nextSeq;
  }

  // segments below baseSeq are covered by the snapshot: leftovers of a finished compaction
  for (const s of segs) if (s < st.baseSeq) fs.unlinkSync(join(dir, segmentName(s)));
  const needed = segs.filter((s) => s >= st.baseSeq);
  needed.forEach((s, i) => {
    if (s !== st.baseSeq + i) throw StateDirError.corrupt(dir, `log segment ${segmentName(st.baseSeq + i)} is missing`);
  });
  // Trailing segments holding only their header carry no records: drop them, so that the last
  // segment with records is the last one (and may have a torn tail). One exists after a
  // rotation that was created but not switched to (an I/O error in createSegment).
  while (needed.length > 1) {
    const name = segmentName(needed[needed.length - 1]);
    const buf = fs.readFileSync(join(dir, name));
    const h = checkHeader(dir, name, buf, 'log');
    if (h.end !== buf.length) break;
    fs.unlinkSync(join(dir, name));
    needed.pop();
  }

  needed.forEach((seq, i) => {
    const name = segmentName(seq);
    const isLast = i === needed.length - 1;
    const buf = fs.readFileSync(join(dir, name));
    const h = checkHeader(dir, name, buf, 'log');
    if (h.header.seq !== seq) throw StateDirError.corrupt(dir, `${name} has the header of segment ${String(h.header.seq)}`);
    let pos = h.end;
    while (pos < buf.length) {
      const f = readFrame(buf, pos);
      if (!f.ok) {
        if (isLast && !validFrameAfter(buf, pos)) break; // torn tail: the end of the log
        throw StateDirError.corrupt(dir, `bad checksum in ${name} at byte ${pos}`);
      }
      for (const line of buf.toString('utf8', f.payloadStart, f.end).split('\n')) apply(line, name);
      pos = f.end;
    }
    st.segments.set(seq, pos);
    st.lastSeq = seq;
  });
  return st;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function checkHeader(dir: string, name: string, buf: Buffer, type: FileHeader['type']): { header: FileHeader; end: number } {
  const h = decodeHeader(buf);
  if (!h) throw StateDirError.corrupt(dir, `${name} has no valid header`);
  if (h.header.format > STATE_FORMAT) throw StateDirError.newerFormat(dir, h.header.format, STATE_FORMAT);
  if (h.header.format !== STATE_FORMAT || h.header.type !== type) {
    throw StateDirError.corrupt(dir, `${name} has an unexpected header`);
  }
  return h;
}

// ---- file helpers -------------------------------------------------------------------------------

function call<T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

async function writeAll(fs: typeof nodeFs, fd: number, buf: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const n = await call<number>((cb) => fs.write(fd, buf, off, buf.length - off, position + off, cb));
    off += n;
  }
}

function writeAllSync(fs: typeof nodeFs, fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off, position + off);
}

/** errors that mean "this platform cannot fsync a directory" (Windows) */
function dirSyncUnsupported(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EACCES' || code === 'EINVAL' || code === 'EBADF';
}

function fsyncDirSync(fs: typeof nodeFs, dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (e) {
    if (dirSyncUnsupported(e)) return;
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if (!dirSyncUnsupported(e)) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

async function fsyncDir(fs: typeof nodeFs, dir: string): Promise<void> {
  let fd: number;
  try {
    fd = await call<number>((cb) => fs.open(dir, 'r', cb));
  } catch (e) {
    if (dirSyncUnsupported(e)) return;
    throw e;
  }
  try {
    await call<void>((cb) => fs.fsync(fd, cb));
  } catch (e) {
    if (!dirSyncUnsupported(e)) throw e;
  } finally {
    await call<void>((cb) => fs.close(fd, cb)).catch(() => undefined);
  }
}

function writeFileDurableSync(fs: typeof nodeFs, dir: string, name: string, text: string): void {
  const tmp = join(dir, `${name}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    writeAllSync(fs, fd, Buffer.from(text, 'utf8'), 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, join(dir, name));
  fsyncDirSync(fs, dir);
}

/** Creates segment `seq` (header only, durable) and returns an fd open for writing it. */
function createSegmentSync(fs: typeof nodeFs, dir: string, seq: number): number {
  const name = segmentName(seq);
  const tmp = join(dir, `${name}.tmp`);
  const fd = fs.openSync(tmp, 'w+');
  try {
    writeAllSync(fs, fd, encodeHeader({ format: STATE_FORMAT, type: 'log', seq }), 0);
    fs.fsyncSync(fd);
    fs.renameSync(tmp, join(dir, name));
    fsyncDirSync(fs, dir);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return fd;
}

async function createSegment(fs: typeof nodeFs, dir: string, seq: number): Promise<{ fd: number; size: number }> {
  const name = segmentName(seq);
  const tmp = join(dir, `${name}.tmp`);
  const fd = await call<number>((cb) => fs.open(tmp, 'w+', cb));
  try {
    const header = encodeHeader({ format: STATE_FORMAT, type: 'log', seq });
    await writeAll(fs, fd, header, 0);
    await call<void>((cb) => fs.fsync(fd, cb));
    await call<void>((cb) => fs.rename(tmp, join(dir, name), cb));
    await fsyncDir(fs, dir);
    return { fd, size: header.length };
  } catch (e) {
    await call<void>((cb) => fs.close(fd, cb)).catch(() => undefined);
    throw e;
  }
}

/** Writes the snapshot file durably (temp + fsync + rename + dir fsync); returns its size. */
async function writeSnapshot(
  fs: typeof nodeFs,
  dir: string,
  lines: readonly string[],
  lastRv: number,
  nextSeq: number,
): Promise<number> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fd = await call<number>((cb) => fs.open(tmp, 'w', cb));
  let pos = 0;
  try {
    const header = encodeHeader({ format: STATE_FORMAT, type: 'snapshot', lastRv, nextSeq, records: lines.length });
    await writeAll(fs, fd, header, pos);
    pos += header.length;
    let chunk: string[] = [];
    let chunkBytes = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      const frame = encodeFrame(chunk);
      chunk = [];
      chunkBytes = 0;
      await writeAll(fs, fd, frame, pos);
      pos += frame.length;
    };
    for (const line of lines) {
      chunk.push(line);
      chunkBytes += line.length + 1;
      if (chunkBytes >= SNAPSHOT_CHUNK_BYTES) await flush();
    }
    await flush();
    await call<void>((cb) => fs.fsync(fd, cb));
  } finally {
    await call<void>((cb) => fs.close(fd, cb)).catch(() => undefined);
  }
  await call<void>((cb) => fs.rename(tmp, join(dir, SNAPSHOT_FILE), cb));
  await fsyncDir(fs, dir);
  return pos;
}

// ---- ephemeral ----------------------------------------------------------------------------------

/** The DurableLog for --ephemeral and tests: stores nothing, starts empty. */
export class EphemeralLog implements DurableLog {
  private closed = false;
  static open(): { log: EphemeralLog; loaded: Loaded } {
    return { log: new EphemeralLog(), loaded: { objects: new Map(), lastRv: 0 } };
  }
  append(_records: readonly LogRecord[]): Promise<void> {
    return this.closed ? Promise.reject(new Error('log is closed')) : Promise.resolve();
  }
  compact(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** StateLog.open(dir) when a dir is given, EphemeralLog.open() when it is undefined (--ephemeral). */
export function openDurableLog(dir: string | undefined, opts?: StateLogOptions): { log: DurableLog; loaded: Loaded } {
  return dir === undefined ? EphemeralLog.open() : StateLog.open(dir, opts);
}
