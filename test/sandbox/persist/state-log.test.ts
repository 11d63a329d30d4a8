import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import {
  EphemeralLog,
  StateDirError,
  StateLog,
  openDurableLog,
  type LogRecord,
} from '../../../src/sandbox/persist/index.js';
import { cleanupTempDirs, copyState, obj, segmentPath, tempDir } from './helpers.js';

afterEach(() => cleanupTempDirs());

function expectStateError(fn: () => unknown, code: string): StateDirError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StateDirError);
    expect((e as StateDirError).code).toBe(code);
    return e as StateDirError;
  }
  throw new Error(`expected StateDirError ${code}`);
}

/** fs with counters on the async calls the writer uses */
function countingFs() {
  const counts = { fsync: 0, write: 0 };
  const spy = {
    ...fs,
    fsync: ((fd: number, cb: fs.NoParamCallback) => {
      counts.fsync++;
      fs.fsync(fd, cb);
    }) as typeof fs.fsync,
    write: ((...args: unknown[]) => {
      counts.write++;
      (fs.write as (...a: unknown[]) => void)(...args);
    }) as unknown as typeof fs.write,
  } as typeof fs;
  return { spy, counts };
}

describe('StateLog basics', () => {
  it('starts empty and lays out the dir', async () => {
    const dir = tempDir();
    const { log, loaded } = StateLog.open(join(dir, 'state'));
    expect(loaded.lastRv).toBe(0);
    expect(loaded.objects.size).toBe(0);
    expect(fs.readdirSync(join(dir, 'state')).sort()).toEqual(['FORMAT', 'LOCK', 'log.00000001']);
    expect(fs.readFileSync(join(dir, 'state', 'FORMAT'), 'utf8')).toBe('kube-tutor state format 1\n');
    await log.close();
    expect(fs.readdirSync(join(dir, 'state')).sort()).toEqual(['FORMAT', 'log.00000001']);
  });

  it('round-trips appends, overwrites and deletes across reopen', async () => {
    const dir = tempDir();
    let { log } = StateLog.open(dir);
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await log.append([
      { rv: 2, key: 'b', object: obj('b', 2) },
      { rv: 3, key: 'c', object: obj('c', 3) },
    ]);
    await log.append([{ rv: 4, key: 'a', object: obj('a', 4) }]);
    await log.append([{ rv: 5, key: 'b', object: null }]);
    await log.close();

    let loaded;
    ({ log, loaded } = StateLog.open(dir));
    expect(loaded.lastRv).toBe(5); // a trailing delete still advances the counter
    expect([...loaded.objects.keys()].sort()).toEqual(['a', 'c']);
    expect(loaded.objects.get('a')).toEqual(obj('a', 4));
    expect(loaded.objects.get('c')).toEqual(obj('c', 3));
    await log.append([{ rv: 6, key: 'd', object: obj('d', 6) }]);
    await log.close();

    ({ log, loaded } = StateLog.open(dir));
    expect(loaded.lastRv).toBe(6);
    expect([...loaded.objects.keys()].sort()).toEqual(['a', 'c', 'd']);
    await log.close();
  });

  it('stores what was passed at append time, not later mutations', async () => {
    const dir = tempDir();
    const { log } = StateLog.open(dir);
    const o = obj('a', 1);
    const p = log.append([{ rv: 1, key: 'a', object: o }]);
    o.data.value = 'mutated';
    await p;
    await log.close();
    expect(StateLog.open(dir).loaded.objects.get('a')).toEqual(obj('a', 1));
  });

  it('rejects malformed records without breaking the log', async () => {
    const dir = tempDir();
    const { log } = StateLog.open(dir);
    await expect(log.append([{ rv: -1, key: 'a', object: obj('a', 1) }])).rejects.toThrow(/rv/);
    await expect(log.append([{ rv: 1, key: '', object: obj('a', 1) }])).rejects.toThrow(/key/);
    await expect(log.append([{ rv: 1, key: 'a', object: [] as unknown as KObject }])).rejects.toThrow(/object/);
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await log.close();
    await expect(log.append([{ rv: 2, key: 'a', object: obj('a', 2) }])).rejects.toThrow(/closed/);
  });

  it('EphemeralLog / openDurableLog(undefined) store nothing', async () => {
    const { log, loaded } = openDurableLog(undefined);
    expect(log).toBeInstanceOf(EphemeralLog);
    expect(loaded).toEqual({ objects: new Map(), lastRv: 0 });
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await log.compact();
    await log.close();
  });
});

describe('group commit', () => {
  it('writes all appends of one tick with one write and one fsync, in order', async () => {
    const dir = tempDir();
    const { spy, counts } = countingFs();
    const { log } = StateLog.open(dir, { fs: spy });
    expect(counts).toEqual({ fsync: 0, write: 0 });
    const order: number[] = [];
    const ps: Promise<void>[] = [];
    for (let i = 1; i <= 100; i++) {
      ps.push(log.append([{ rv: i, key: `k${i % 7}`, object: obj(`k${i % 7}`, i) }]).then(() => void order.push(i)));
    }
    await Promise.all(ps);
    expect(counts).toEqual({ fsync: 1, write: 1 });
    expect(order).toEqual([...Array(100).keys()].map((i) => i + 1));
    expect(log.stats().commits).toBe(1);

    // sequential appends: one commit each
    await log.append([{ rv: 101, key: 'x', object: obj('x', 101) }]);
    await log.append([{ rv: 102, key: 'y', object: obj('y', 102) }]);
    expect(counts).toEqual({ fsync: 3, write: 3 });
    await log.close();

    const { loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(102);
    for (let k = 0; k < 7; k++) {
      const last = Math.max(...[...Array(100).keys()].map((i) => i + 1).filter((i) => i % 7 === k));
      expect(loaded.objects.get(`k${k}`)).toEqual(obj(`k${k}`, last));
    }
  });

  it('appends made while an fsync is in flight go out together in the next commit', async () => {
    const dir = tempDir();
    const { spy, counts } = countingFs();
    const { log } = StateLog.open(dir, { fs: spy });
    const first = log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await new Promise((r) => setImmediate(r)); // the first commit is now in flight
    const rest = [2, 3, 4, 5].map((rv) => log.append([{ rv, key: 'a', object: obj('a', rv) }]));
    await Promise.all([first, ...rest]);
    expect(counts.fsync).toBe(2);
    await log.close();
  });

  it('a failed write fails that batch and every later append; the dir still loads', async () => {
    const dir = tempDir();
    let failNext = false;
    const flaky = {
      ...fs,
      write: ((fd: number, buf: Buffer, off: number, len: number, pos: number, cb: (e: Error | null, n?: number) => void) => {
        if (failNext) {
          failNext = false;
          // torn write: half the bytes land, then an error
          fs.write(fd, buf, off, Math.max(1, len >> 1), pos, () => cb(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })));
          return;
        }
        fs.write(fd, buf, off, len, pos, cb as never);
      }) as unknown as typeof fs.write,
    } as typeof fs;
    const { log } = StateLog.open(dir, { fs: flaky });
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    failNext = true;
    await expect(log.append([{ rv: 2, key: 'b', object: obj('b', 2) }])).rejects.toThrow(/EIO/);
    await expect(log.append([{ rv: 3, key: 'c', object: obj('c', 3) }])).rejects.toThrow(/EIO/);
    await log.close();
    const { loaded } = StateLog.open(dir);
    expect([...loaded.objects.keys()]).toEqual(['a']);
    expect(loaded.lastRv).toBe(1);
  });
});

describe('crash recovery', () => {
  async function threeBatches(dir: string): Promise<{ before: number; after: number }> {
    const { log } = StateLog.open(dir);
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await log.append([
      { rv: 2, key: 'b', object: obj('b', 2) },
      { rv: 3, key: 'a', object: null },
    ]);
    const before = fs.statSync(segmentPath(dir, 1)).size;
    await log.append([
      { rv: 4, key: 'c', object: obj('c', 4, { big: 'é'.repeat(50) }) },
      { rv: 5, key: 'b', object: obj('b', 5) },
    ]);
    const after = fs.statSync(segmentPath(dir, 1)).size;
    await log.close();
    return { before, after };
  }

  it('truncating the last frame at every byte offset loads the earlier records', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const { before, after } = await threeBatches(dir);
    expect(after).toBeGreaterThan(before);
    for (let cut = before; cut < after; cut++) {
      const copy = copyState(dir);
      fs.truncateSync(segmentPath(copy, 1), cut);
      const { log, loaded } = StateLog.open(copy);
      expect(loaded.lastRv).toBe(3);
      expect([...loaded.objects.entries()]).toEqual([['b', obj('b', 2)]]);
      expect(fs.statSync(segmentPath(copy, 1)).size).toBe(before); // torn tail removed
      if (cut === before + 7 || cut === after - 1) {
        // the log keeps working after recovery
        await log.append([{ rv: 4, key: 'z', object: obj('z', 4) }]);
        await log.close();
        const again = StateLog.open(copy);
        expect(again.loaded.lastRv).toBe(4);
        expect([...again.loaded.objects.keys()].sort()).toEqual(['b', 'z']);
        await again.log.close();
      } else {
        await log.close();
      }
      fs.rmSync(copy, { recursive: true });
    }
    // untouched: everything is there
    const { log, loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(5);
    await log.close();
  });

  it('a torn tail followed only by an empty segment (rotation never switched to) still loads', async () => {
    const dir = tempDir();
    const { before, after } = await threeBatches(dir);
    fs.truncateSync(segmentPath(dir, 1), (before + after) >> 1);
    fs.writeFileSync(segmentPath(dir, 2), 'kube-tutor-state {"format":1,"type":"log","seq":2}\n');
    const { log, loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(3);
    expect(fs.existsSync(segmentPath(dir, 2))).toBe(false);
    await log.append([{ rv: 4, key: 'z', object: obj('z', 4) }]);
    await log.close();
    expect(StateLog.open(dir).loaded.lastRv).toBe(4);
  });

  it('garbage or zeros after the last frame are a torn tail', async () => {
    const dir = tempDir();
    const { after } = await threeBatches(dir);
    for (const junk of [Buffer.alloc(5000), Buffer.from('{"rv":6,"key":"x"'), Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3])]) {
      const copy = copyState(dir);
      fs.appendFileSync(segmentPath(copy, 1), junk);
      const { log, loaded } = StateLog.open(copy);
      expect(loaded.lastRv).toBe(5);
      expect(fs.statSync(segmentPath(copy, 1)).size).toBe(after);
      await log.close();
    }
  });

  it('refuses damage in the middle of the log with a message pointing at --reset', async () => {
    const dir = tempDir();
    await threeBatches(dir);
    const seg = fs.readFileSync(segmentPath(dir, 1));
    const firstFrame = seg.indexOf('\n') + 1;
    for (const at of [firstFrame + 1 /* length */, firstFrame + 9 /* crc */, firstFrame + 20 /* payload */]) {
      const copy = copyState(dir);
      const bad = Buffer.from(seg);
      bad[at] ^= 0x40;
      fs.writeFileSync(segmentPath(copy, 1), bad);
      const err = expectStateError(() => StateLog.open(copy), 'CORRUPT');
      expect(err.message).toMatch(/damaged/);
      expect(err.message).toContain('--reset');
      expect(err.message).toContain(copy);
      // the failed open released the lock
      expect(fs.existsSync(join(copy, 'LOCK'))).toBe(false);
    }
  });

  it('refuses a newer format (FORMAT file or file header) mentioning --reset', async () => {
    const dir = tempDir();
    await threeBatches(dir);
    const a = copyState(dir);
    fs.writeFileSync(join(a, 'FORMAT'), 'kube-tutor state format 2\n');
    const e1 = expectStateError(() => StateLog.open(a), 'NEWER_FORMAT');
    expect(e1.message).toContain('--reset');
    expect(e1.message).toMatch(/newer kube-tutor/);

    const b = copyState(dir);
    const seg = fs.readFileSync(segmentPath(b, 1), 'utf8');
    fs.writeFileSync(segmentPath(b, 1), seg.replace('{"format":1,', '{"format":2,'));
    expect(expectStateError(() => StateLog.open(b), 'NEWER_FORMAT').message).toContain('--reset');
  });

  it('refuses data files without FORMAT, a missing segment, and a damaged snapshot', async () => {
    const dir = tempDir();
    {
      const { log } = StateLog.open(dir, { compactAfterBytes: 1 << 30 });
      await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
      await log.compact();
      await log.append([{ rv: 2, key: 'b', object: obj('b', 2) }]);
      await log.compact();
      await log.append([{ rv: 3, key: 'c', object: obj('c', 3) }]);
      await log.close();
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['FORMAT', 'log.00000003', 'snapshot']);

    const noFormat = copyState(dir);
    fs.unlinkSync(join(noFormat, 'FORMAT'));
    expect(expectStateError(() => StateLog.open(noFormat), 'CORRUPT').message).toMatch(/FORMAT/);

    const noSnapshot = copyState(dir);
    fs.unlinkSync(join(noSnapshot, 'snapshot'));
    expect(expectStateError(() => StateLog.open(noSnapshot), 'CORRUPT').message).toMatch(/log\.00000001 is missing/);

    const badSnapshot = copyState(dir);
    const snap = fs.readFileSync(join(badSnapshot, 'snapshot'));
    snap[snap.length - 3] ^= 1;
    fs.writeFileSync(join(badSnapshot, 'snapshot'), snap);
    expectStateError(() => StateLog.open(badSnapshot), 'CORRUPT');

    const cutSnapshot = copyState(dir);
    fs.truncateSync(join(cutSnapshot, 'snapshot'), snap.length - 3);
    expectStateError(() => StateLog.open(cutSnapshot), 'CORRUPT');
  });

  it('StateLog.reset deletes the dir, but not while it is open', async () => {
    const dir = join(tempDir(), 'state');
    const { log } = StateLog.open(dir);
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    expectStateError(() => StateLog.reset(dir), 'LOCKED');
    await log.close();
    StateLog.reset(dir);
    expect(fs.existsSync(dir)).toBe(false);
    StateLog.reset(dir); // no-op
    const again = StateLog.open(dir);
    expect(again.loaded.lastRv).toBe(0);
    await again.log.close();
  });
});

describe('compaction', () => {
  function workload(n: number, seed = 1, keys = 37): { records: LogRecord[]; expected: Map<string, KObject> } {
    const records: LogRecord[] = [];
    const expected = new Map<string, KObject>();
    let x = seed;
    for (let rv = 1; rv <= n; rv++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const key = `k${x % keys}`;
      if (x % 5 === 0) {
        records.push({ rv, key, object: null });
        expected.delete(key);
      } else {
        const o = obj(key, rv, { pad: 'p'.repeat(x % 300) });
        records.push({ rv, key, object: o });
        expected.set(key, o);
      }
    }
    return { records, expected };
  }

  it('compacts automatically and keeps objects and rv', async () => {
    const dir = tempDir();
    const { records, expected } = workload(600);
    records.push({ rv: 601, key: 'k-last', object: obj('k-last', 601) }, { rv: 602, key: 'k-last', object: null });
    const { log } = StateLog.open(dir, { compactAfterBytes: 8 * 1024 });
    for (let i = 0; i < records.length; i += 3) {
      await log.append(records.slice(i, i + 3));
    }
    await log.close();
    const stats = log.stats();
    expect(stats.compactions).toBeGreaterThan(3);
    expect(stats.segments.length).toBeLessThanOrEqual(2);
    expect(fs.existsSync(join(dir, 'snapshot'))).toBe(true);

    const { log: log2, loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(602);
    expect(new Map([...loaded.objects].sort())).toEqual(new Map([...expected].sort()));
    await log2.close();
  });

  it('appends racing a forced compaction all survive, in order', async () => {
    const dir = tempDir();
    const { records, expected } = workload(400, 7);
    const { log } = StateLog.open(dir, { compactAfterBytes: 1 << 30 });
    await Promise.all(records.slice(0, 200).map((r) => log.append([r])));
    const ps: Promise<void>[] = [log.compact()];
    for (const r of records.slice(200)) {
      ps.push(log.append([r]));
      if (r.rv % 50 === 0) ps.push(log.compact());
      if (r.rv % 20 === 0) await new Promise((res) => setImmediate(res));
    }
    await Promise.all(ps);
    expect(log.stats().compactions).toBeGreaterThanOrEqual(1); // concurrent calls may share one
    await log.close();
    const { log: log2, loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(400);
    expect(new Map([...loaded.objects].sort())).toEqual(new Map([...expected].sort()));
    await log2.close();
  });

  it('a leftover snapshot.tmp / segment tmp (crash while writing them) is ignored and removed', async () => {
    const dir = tempDir();
    const { log } = StateLog.open(dir);
    await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
    await log.compact();
    await log.append([{ rv: 2, key: 'b', object: obj('b', 2) }]);
    await log.close();
    fs.writeFileSync(join(dir, 'snapshot.tmp'), 'kube-tutor-state {"format":1,"type":"snapsh');
    fs.writeFileSync(join(dir, 'log.00000003.tmp'), '');
    const { log: log2, loaded } = StateLog.open(dir);
    expect(loaded.lastRv).toBe(2);
    expect([...loaded.objects.keys()].sort()).toEqual(['a', 'b']);
    expect(fs.readdirSync(dir).sort()).toEqual(['FORMAT', 'LOCK', 'log.00000002', 'snapshot']);
    await log2.close();
  });

  it('compaction that fails after rotating (no snapshot) or before cleanup loses nothing', async () => {
    for (const failOn of ['rename-snapshot', 'unlink-segment'] as const) {
      const dir = tempDir();
      const errors: Error[] = [];
      const failing = {
        ...fs,
        rename: ((from: string, to: string, cb: fs.NoParamCallback) => {
          if (failOn === 'rename-snapshot' && to.endsWith('snapshot')) return cb(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
          fs.rename(from, to, cb);
        }) as typeof fs.rename,
        unlink: ((p: string, cb: fs.NoParamCallback) => {
          if (failOn === 'unlink-segment' && /log\.\d+$/.test(p)) return cb(Object.assign(new Error('EBUSY'), { code: 'EBUSY' }));
          fs.unlink(p, cb);
        }) as typeof fs.unlink,
      } as typeof fs;
      const { log } = StateLog.open(dir, { fs: failing, onCompactionError: (e) => errors.push(e) });
      await log.append([{ rv: 1, key: 'a', object: obj('a', 1) }]);
      if (failOn === 'rename-snapshot') await expect(log.compact()).rejects.toThrow(/ENOSPC/);
      else await log.compact();
      await log.append([{ rv: 2, key: 'b', object: obj('b', 2) }]);
      await log.close();
      expect(errors.length).toBe(failOn === 'rename-snapshot' ? 1 : 0);
      expect(fs.existsSync(segmentPath(dir, 1))).toBe(true);
      expect(fs.existsSync(segmentPath(dir, 2))).toBe(true);
      const { log: log2, loaded } = StateLog.open(dir);
      expect(loaded.lastRv).toBe(2);
      expect([...loaded.objects.keys()].sort()).toEqual(['a', 'b']);
      // covered segments are cleaned up at open
      expect(fs.existsSync(segmentPath(dir, 1))).toBe(failOn === 'rename-snapshot');
      await log2.close();
    }
  });

  it('a crash at any file operation never loses an acknowledged write nor breaks loading', { timeout: 120_000 }, async () => {
    const { records } = workload(80, 3, 6);

    /** node:fs that "dies" at the `limit`-th mutating call: that call half-happens, later ones fail */
    function crashingFs(limit: number) {
      let n = 0;
      const dead = () => Object.assign(new Error('ECRASH'), { code: 'ECRASH' });
      const gate = <F extends (...a: never[]) => unknown>(name: string, f: F, partialWrite = false): F =>
        ((...args: never[]) => {
          n++;
          if (n < limit) return f(...args);
          const cb = args[args.length - 1] as unknown;
          if (n === limit && partialWrite) {
            // a torn write: the first half of the bytes reach the file
            const a = args as unknown as [number, Buffer, number, number, number];
            fs.writeSync(a[0], a[1], a[2], Math.ceil(a[3] / 2), a[4]);
          }
          if (typeof cb === 'function' && !name.endsWith('Sync')) {
            setImmediate(() => (cb as (e: Error) => void)(dead()));
            return undefined;
          }
          throw dead();
        }) as F;
      const crashing = {
        ...fs,
        write: gate('write', fs.write as never, true),
        writeSync: gate('writeSync', fs.writeSync as never, true),
        writeFileSync: gate('writeFileSync', fs.writeFileSync as never),
        fsync: gate('fsync', fs.fsync as never),
        fsyncSync: gate('fsyncSync', fs.fsyncSync as never),
        open: gate('open', fs.open as never),
        openSync: gate('openSync', fs.openSync as never),
        rename: gate('rename', fs.rename as never),
        renameSync: gate('renameSync', fs.renameSync as never),
        unlink: gate('unlink', fs.unlink as never),
        unlinkSync: gate('unlinkSync', fs.unlinkSync as never),
        linkSync: gate('linkSync', fs.linkSync as never),
        ftruncateSync: gate('ftruncateSync', fs.ftruncateSync as never),
      } as typeof fs;
      return { crashing, calls: () => n };
    }

    async function run(limit: number): Promise<{ calls: number; dir: string; acked: LogRecord[]; compactions: number }> {
      const dir = tempDir('kt-crash-');
      const { crashing, calls } = crashingFs(limit);
      const acked: LogRecord[] = [];
      let log: StateLog;
      try {
        ({ log } = StateLog.open(dir, { fs: crashing, compactAfterBytes: 1500 }));
      } catch {
        return { calls: calls(), dir, acked, compactions: 0 };
      }
      let next = 0;
      const client = async () => {
        while (next < records.length) {
          const batch = records.slice(next, next + 1 + (next % 3));
          next += batch.length;
          try {
            await log.append(batch);
          } catch {
            return;
          }
          acked.push(...batch);
        }
      };
      await Promise.all([client(), client(), client()]);
      if (limit === Infinity) await log.close();
      else while (log.stats().compacting) await new Promise((r) => setImmediate(r));
      return { calls: calls(), dir, acked, compactions: log.stats().compactions };
    }

    const clean = await run(Infinity);
    expect(clean.acked.length).toBe(records.length);
    expect(clean.compactions).toBeGreaterThanOrEqual(2); // crashes also land inside compactions
    const total = clean.calls;
    expect(total).toBeGreaterThan(50);
    let survivedAll = 0;
    for (let limit = 1; limit <= total; limit++) {
      const { dir, acked } = await run(limit);
      const copy = copyState(dir);
      const { log, loaded } = StateLog.open(copy); // must load
      // the log is a prefix of the append sequence (records[i].rv === i + 1) that contains
      // every acknowledged record
      const maxAcked = Math.max(0, ...acked.map((r) => r.rv));
      expect(loaded.lastRv, `limit ${limit}`).toBeGreaterThanOrEqual(maxAcked);
      const expected = new Map<string, KObject>();
      for (const r of records.slice(0, loaded.lastRv)) {
        if (r.object) expected.set(r.key, r.object);
        else expected.delete(r.key);
      }
      expect(new Map([...loaded.objects].sort()), `limit ${limit}`).toEqual(new Map([...expected].sort()));
      if (acked.length === records.length) survivedAll++;
      await log.close();
    }
    expect(survivedAll).toBeLessThan(total);
  });
});

describe('lock', () => {
  it('a second open of the same dir fails naming the holder pid', async () => {
    const dir = tempDir();
    const { log } = StateLog.open(dir);
    const err = expectStateError(() => StateLog.open(dir), 'LOCKED');
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(dir);
    await log.close();
    const again = StateLog.open(dir);
    await again.log.close();
  });

  it('a lock held by another live process is respected', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: child.pid, host: hostname(), token: 'x' }));
      const err = expectStateError(() => StateLog.open(dir), 'LOCKED');
      expect(err.message).toContain(`pid ${child.pid}`);
      expect(err.message).toContain(join(dir, 'LOCK'));
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a stale lock of a dead pid is taken over', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: dead, host: hostname(), token: 'old' }));
    const { log } = StateLog.open(dir);
    expect(JSON.parse(fs.readFileSync(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await log.close();
    expect(fs.existsSync(join(dir, 'LOCK'))).toBe(false);
    // unreadable lock content is stale too
    fs.writeFileSync(join(dir, 'LOCK'), 'garbage');
    const again = StateLog.open(dir);
    await again.log.close();
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('LOCK'))).toEqual([]);
  });
});

describe('performance', () => {
  it('appends 10,000 records of ~2 KB in batches and loads them back quickly', async () => {
    const dir = tempDir();
    const pad = 'x'.repeat(1900);
    const { log } = StateLog.open(dir);
    let t = performance.now();
    const ps: Promise<void>[] = [];
    for (let b = 0; b < 100; b++) {
      const batch: LogRecord[] = [];
      for (let i = 0; i < 100; i++) {
        const rv = b * 100 + i + 1;
        batch.push({ rv, key: `/registry/configmaps/default/cm-${rv}`, object: obj(`cm-${rv}`, rv, { pad }) });
      }
      ps.push(log.append(batch));
      if (b % 10 === 9) await Promise.all(ps.splice(0));
    }
    await Promise.all(ps);
    const appendMs = performance.now() - t;
    await log.close();

    t = performance.now();
    const { log: log2, loaded } = StateLog.open(dir);
    const loadMs = performance.now() - t;
    expect(loaded.objects.size).toBe(10_000);
    expect(loaded.lastRv).toBe(10_000);
    await log2.close();
    console.log(`append 10k x 2KB: ${appendMs.toFixed(0)} ms (compactions: ${log.stats().compactions}); load: ${loadMs.toFixed(0)} ms`);
    // generous bounds so slow CI machines do not flake; typical numbers are far lower
    expect(appendMs).toBeLessThan(5000);
    expect(loadMs).toBeLessThan(5000);
  });
});
