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

// `--callers <substring>`: for the functions whose key contains it, their time (inclusive) split by caller stack (3 frames)
if (args.includes('--callers')) {
  const want = args[args.indexOf('--callers') + 1];
  const byStack = new Map();
  for (const [id, us] of selfUs) {
    let cur = id;
    while (cur !== undefined && !key(nodes.get(cur)).includes(want)) cur = parent.get(cur);
    if (cur === undefined) continue;
    const frames = [];
    for (let p = parent.get(cur); p !== undefined && frames.length < 3; p = parent.get(p)) frames.push(key(nodes.get(p)).replace(/\s+/g, ' '));
    const k = frames.join(' ← ');
    byStack.set(k, (byStack.get(k) ?? 0) + us);
  }
  show(`callers of ${want} (inclusive)`, byStack);
}

// `--callees <substring>`: time under the (outermost) matching frame, split by the frame right below it
if (args.includes('--callees')) {
  const want = args[args.indexOf('--callees') + 1];
  const byChild = new Map();
  for (const [id, us] of selfUs) {
    const chain = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(cur);
    chain.reverse();
    const i = chain.findIndex((c) => key(nodes.get(c)).includes(want));
    if (i < 0) continue;
    const k = i + 1 < chain.length ? key(nodes.get(chain[i + 1])) : '(self)';
    byChild.set(k, (byChild.get(k) ?? 0) + us);
  }
  show(`under ${want}, by callee (inclusive)`, byChild);
}

// `--tree <substring> [--depth N]`: the call tree under the (outermost) matching frames, merged by function, inclusive times
if (args.includes('--tree')) {
  const want = args[args.indexOf('--tree') + 1];
  const depth = args.includes('--depth') ? Number(args[args.indexOf('--depth') + 1]) : 4;
  const root = { us: 0, kids: new Map() };
  for (const [id, us] of selfUs) {
    const chain = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(cur);
    chain.reverse();
    const i = chain.findIndex((c) => key(nodes.get(c)).includes(want));
    if (i < 0) continue;
    root.us += us;
    let n = root;
    for (let j = i + 1; j < chain.length && j <= i + depth; j++) {
      const k = key(nodes.get(chain[j]));
      let c = n.kids.get(k);
      if (!c) n.kids.set(k, (c = { us: 0, kids: new Map() }));
      c.us += us;
      n = c;
    }
  }
  console.log(`\ntree under ${want}: ${fmt(root.us)}`);
  const print = (n, indent) => {
    for (const [k, c] of [...n.kids].sort((a, b) => b[1].us - a[1].us)) {
      if (c.us < root.us * 0.01) continue;
      console.log(`${fmt(c.us)}  ${indent}${k}`);
      print(c, indent + '  ');
    }
  };
  print(root, '');
}
