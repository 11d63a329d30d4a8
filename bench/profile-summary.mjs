#!/usr/bin/env node
// Summarise a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time and by total
// (inclusive) time, mapped back to source files through the bundle's source map when it has one.
//
//   node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--filter substring]
//
// Shares are of all sampled time (idle and GC included, shown as their own rows).
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const top = Number(args[args.indexOf('--top') + 1]) || 30;
const filter = args.includes('--filter') ? args[args.indexOf('--filter') + 1] : undefined;
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--filter substring]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const cwd = process.cwd();

// --------------------------------------------------------------- source maps
const maps = new Map();
function mapFor(url) {
  if (maps.has(url)) return maps.get(url);
  let sm = null;
  try {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (existsSync(path)) {
      const src = readFileSync(path, 'utf8');
      const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(src.slice(-8_000_000));
      if (m) sm = new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')));
      else if (existsSync(path + '.map')) sm = new SourceMap(JSON.parse(readFileSync(path + '.map', 'utf8')));
    }
  } catch {
    sm = null;
  }
  maps.set(url, sm);
  return sm;
}
function location(cf) {
  const { url, lineNumber, columnNumber } = cf;
  if (!url) return '';
  const sm = mapFor(url);
  if (sm && lineNumber >= 0) {
    const e = sm.findEntry(lineNumber, columnNumber);
    if (e && e.originalSource) {
      let src = e.originalSource.replace(/^file:\/\//, '');
      if (src.startsWith('/')) src = relative(cwd, src);
      src = src.replace(/^(\.\.\/)+/, '');
      return `${src}:${e.originalLine + 1}`;
    }
  }
  let p = url.replace(/^file:\/\//, '');
  if (p.startsWith('/')) p = relative(cwd, p);
  return `${p}:${lineNumber + 1}`;
}

// --------------------------------------------------------------- self and total time
const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map();
const deltas = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const dt = deltas[i + 1] ?? 0;
  selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + Math.max(0, dt));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const key = (n) => {
  const cf = n.callFrame;
  const name = cf.functionName || (cf.url ? '(anonymous)' : cf.functionName);
  return `${name || '(anonymous)'}  ${location(cf)}`;
};
const self = new Map();
const total = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  const k = key(n);
  self.set(k, (self.get(k) ?? 0) + us);
  // inclusive: count once per distinct function on the stack
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const kk = key(nodes.get(cur));
    if (seen.has(kk)) continue;
    seen.add(kk);
    total.set(kk, (total.get(kk) ?? 0) + us);
  }
}
const fmt = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const show = (title, m) => {
  console.log(`\n${title}`);
  [...m]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, us]) => console.log(`${fmt(us)}  ${k}`));
};
console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${prof.samples.length} samples`);
show('self time (top ' + top + ')', self);
// by source file (self time)
const byFile = new Map();
for (const [k, us] of self) {
  const f = k.split('  ')[1]?.replace(/:\d+$/, '') || k;
  byFile.set(f, (byFile.get(f) ?? 0) + us);
}
show('self time by file', byFile);
show('total (inclusive) time (top ' + top + ')', total);
