#!/usr/bin/env node
// Run a TypeScript benchmark from bench/ without tsx:
//
//   node bench/run.mjs <name> [bench args...] [--cpu-prof]
//   e.g.  node bench/run.mjs apiserver
//         node bench/run.mjs apiserver --quick --cpu-prof
//         node bench/run.mjs startup            (the built CLI in a pty; its own --prof profiles the CLI)
//
// Bundles bench/<name>.ts with esbuild (npm packages stay external) into bench/.tmp/<name>.mjs and
// runs it in a child `node --expose-gc` (so RSS can be measured after a GC). `--cpu-prof` adds
// node's --cpu-prof and writes the profile to bench/.tmp/prof/; summarise one with
// `node bench/profile-summary.mjs bench/.tmp/prof/<file>.cpuprofile`.
// Benchmarks print figures; they never fail a test.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
if (!name || name.startsWith('-')) {
  console.error('usage: node bench/run.mjs <name> [args...] [--cpu-prof]   (runs bench/<name>.ts)');
  process.exit(2);
}
const cpuProf = rest.includes('--cpu-prof');
const args = rest.filter((a) => a !== '--cpu-prof');

const tmp = join(benchDir, '.tmp');
mkdirSync(tmp, { recursive: true });
const outfile = join(tmp, `${name}.mjs`);
await build({
  entryPoints: [join(benchDir, `${name}.ts`)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  keepNames: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', __VERSION__: '"bench"' },
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
});

// the sandbox reads its OpenAPI schemas next to the bundle at run time (as scripts/build.mjs arranges for dist/)
copyFileSync(join(benchDir, '..', 'src/sandbox/apiserver/openapi/generated/schemas.json'), join(tmp, 'openapi-schemas.json'));

const nodeFlags = ['--expose-gc', '--enable-source-maps'];
if (cpuProf) {
  const profDir = join(tmp, 'prof');
  mkdirSync(profDir, { recursive: true });
  nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
}
const child = spawn(process.execPath, [...nodeFlags, outfile, ...args], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
