// Bundle the CLI into dist/ with esbuild: one self-contained ESM program with zero runtime
// dependencies, so `npx kube-tutor` downloads one small tarball and starts fast.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** conf's schema validation and migrations, which the progress file does not use: see scripts/stubs/conf-unused.js */
function confWithoutSchemas() {
  const stub = fileURLToPath(new URL('./stubs/conf-unused.js', import.meta.url));
  return {
    name: 'conf-without-schemas',
    setup(b) {
      b.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/ }, (args) =>
        /[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: stub } : undefined,
      );
    },
  };
}

/**
 * Faster stand-ins for two of Ink's dependencies, same results (each checked against the package
 * in test/build/): every import of the package, except the stand-in's own, resolves to the stand-in.
 * - string-width (Ink's and wrap-ansi's older copy): fast paths for ASCII and stand-alone characters;
 * - @alcalzone/ansi-tokenize: no style diff between neighbouring cells of the same style.
 */
function bundleOverrides() {
  const overrides = {
    'string-width': fileURLToPath(new URL('./bundle/string-width.mjs', import.meta.url)),
    '@alcalzone/ansi-tokenize': fileURLToPath(new URL('./bundle/ansi-tokenize.mjs', import.meta.url)),
  };
  return {
    name: 'bundle-overrides',
    setup(b) {
      b.onResolve({ filter: /^(string-width|@alcalzone\/ansi-tokenize)$/ }, (args) => {
        const file = overrides[args.path];
        return args.importer === file ? undefined : { path: file };
      });
    },
  };
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const t0 = Date.now();
// start clean: chunk names are content hashes, so stale ones would pile up (and get packed)
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // no keepNames: nothing reads a function's name at run time, and ~4,000 __name() calls cost ~10 ms at startup
  keepNames: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  jsx: 'automatic',
  // ink's devtools.js imports the optional react-devtools-core: a no-op stub keeps the bundle self-contained
  alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js' },
  plugins: [confWithoutSchemas(), bundleOverrides()],
  define: { 'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
});
// the OpenAPI schemas are data read at run time (lazily, on the first openapi/strict-field request)
mkdirSync('dist', { recursive: true });
copyFileSync('src/sandbox/apiserver/openapi/generated/schemas.json', 'dist/openapi-schemas.json');
// …and without their descriptions (two thirds of the file), which is all a sandbox boot needs
const withoutDescriptions = (o) =>
  Array.isArray(o) ? o.map(withoutDescriptions)
    : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, withoutDescriptions(v)]))
    : o;
writeFileSync('dist/openapi-structure.json', JSON.stringify(withoutDescriptions(JSON.parse(readFileSync('dist/openapi-schemas.json', 'utf8')))));
// the lessons, parsed and validated once here: a cold start then reads JSON, not YAML
execFileSync(process.execPath, ['dist/main.js', 'lessons-cache'], { stdio: 'inherit' });
if (process.argv.includes('--verbose')) console.log(`built dist/ in ${Date.now() - t0} ms`);
