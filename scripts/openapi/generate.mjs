#!/usr/bin/env node
// Build-time generator for the sandbox's OpenAPI v3 component schemas.
//
// Sources (all from installed packages, nothing hand-written except patch-facts.json):
//   * node_modules/kubernetes-models/<group>/<version>/*.d.ts and
//     node_modules/@kubernetes-models/apimachinery/**/*.d.ts
//       -> structure (properties, arrays, maps, refs, string enums, required) and JSDoc descriptions,
//          parsed with the TypeScript compiler API.
//   * the precompiled ajv validators in <pkg>/_schemas/*.mjs
//       -> integer vs number and `format` (int32, int64, date-time, byte, ...), found by probing the
//          validators with deliberately bad values and reading the errors they report.
//   * scripts/openapi/patch-facts.json
//       -> x-kubernetes-patch-merge-key / patch-strategy / list-type / list-map-keys / map-type,
//          which no installed package carries.
//
// Output: src/sandbox/apiserver/openapi/generated/schemas.json (compact JSON).
// Usage:  node scripts/openapi/generate.mjs [--check]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const ts = require('typescript');

const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json'));
const machineryDir = path.dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));
const modelsVersion = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
const outFile = path.join(root, 'src/sandbox/apiserver/openapi/generated/schemas.json');
const factsFile = path.join(here, 'patch-facts.json');

/** API groups (directory in kubernetes-models) -> versions to include. '' = core (directory "v1"). */
const GROUPS = {
  '': ['v1'],
  apps: ['v1'],
  batch: ['v1'],
  autoscaling: ['v1', 'v2'],
  'networking.k8s.io': ['v1'],
  'discovery.k8s.io': ['v1'],
  policy: ['v1'],
  'rbac.authorization.k8s.io': ['v1'],
  'storage.k8s.io': ['v1'],
  'coordination.k8s.io': ['v1'],
  'scheduling.k8s.io': ['v1'],
  'node.k8s.io': ['v1'],
  'events.k8s.io': ['v1'],
  'certificates.k8s.io': ['v1'],
};

// ---------------------------------------------------------------------------------------------
// 1. collect declaration files and their canonical (kube-openapi) schema names

/** @type {{file: string, name: string, validator: string}[]} */
const files = [];

for (const [group, versions] of Object.entries(GROUPS)) {
  for (const version of versions) {
    const dir = group === '' ? path.join(modelsDir, version) : path.join(modelsDir, group, version);
    const short = group === '' ? 'core' : group.split('.')[0];
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.d.ts') || f === 'index.d.ts') continue;
      const type = f.slice(0, -5);
      files.push({ file: path.join(dir, f), name: `io.k8s.api.${short}.${version}.${type}`, pkgDir: modelsDir });
    }
  }
}
(function walk(dir, rel) {
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) {
      if (f === '_schemas' || f === 'node_modules') continue;
      walk(p, [...rel, f]);
    } else if (f.endsWith('.d.ts') && f !== 'index.d.ts' && rel.length > 0) {
      files.push({ file: p, name: `io.k8s.apimachinery.pkg.${rel.join('.')}.${f.slice(0, -5)}`, pkgDir: machineryDir });
    }
  }
})(machineryDir, []);

/** alias used in the .d.ts files (IIoK8sApiCoreV1PodSpec) -> canonical name */
const aliasToName = new Map();
/** canonical name -> {sf, pascal} */
const parsed = new Map();

for (const entry of files) {
  const text = fs.readFileSync(entry.file, 'utf8');
  const sf = ts.createSourceFile(entry.file, text, ts.ScriptTarget.ES2022, true);
  let pascal;
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const exported = el.name.text;
        if (exported.startsWith('IIoK8s')) aliasToName.set(exported, entry.name);
        else if (exported.startsWith('IoK8s')) pascal = exported;
      }
    }
  }
  if (!pascal) continue; // not a model file
  // sanity: canonical name must agree with the package's own PascalCase name
  const expect = entry.name.replace(/(^|[.-])(.)/g, (_, __, c) => c.toUpperCase());
  if (expect.toLowerCase() !== pascal.toLowerCase()) {
    console.warn(`warning: name mismatch ${entry.name} vs ${pascal}`);
  }
  parsed.set(entry.name, { sf, pascal, pkgDir: entry.pkgDir });
}

// ---------------------------------------------------------------------------------------------
// 2. JSDoc descriptions (raw text, so nothing inside the prose is mistaken for a tag)

function description(node) {
  const docs = node.jsDoc;
  if (!docs || docs.length === 0) return undefined;
  const raw = docs[docs.length - 1].getText();
  const lines = raw
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  // the .d.ts emitter escapes '*' as '\*' and '*/' as '*\/' inside comments
  const text = lines.join('\n').replace(/\\\*/g, '*').replace(/\*\\\//g, '*/').trimEnd();
  return text || undefined;
}

// ---------------------------------------------------------------------------------------------
// 3. type nodes -> schema

const warnings = new Set();

/** Returns a schema for a type node; refs are returned as {$ref}. */
function typeToSchema(node, ctx) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return { 'x-kubernetes-preserve-unknown-fields': true };
    case ts.SyntaxKind.LiteralType:
      if (ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
      if (node.literal.kind === ts.SyntaxKind.NullKeyword) return null;
      break;
    case ts.SyntaxKind.IndexedAccessType: // IPod["apiVersion"]
      return { type: 'string' };
    case ts.SyntaxKind.ParenthesizedType:
      return typeToSchema(node.type, ctx);
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => typeToSchema(t, ctx)).filter(Boolean);
      if (parts.length && parts.every((p) => p.type === 'string' && p.enum)) {
        return { type: 'string', enum: parts.flatMap((p) => p.enum).sort() };
      }
      const types = [...new Set(parts.map((p) => p.type))].sort();
      if (types.join() === 'number,string') return { oneOf: [{ type: 'integer' }, { type: 'string' }] };
      if (parts.length === 1) return parts[0];
      warnings.add(`union ${node.getText()} in ${ctx}`);
      return {};
    }
    case ts.SyntaxKind.TypeReference: {
      const n = node.typeName.getText();
      if (n === 'Array' && node.typeArguments?.length === 1) {
        return { type: 'array', items: typeToSchema(node.typeArguments[0], ctx) };
      }
      if (n === 'Record' && node.typeArguments?.length === 2) {
        return { type: 'object', additionalProperties: typeToSchema(node.typeArguments[1], ctx) };
      }
      const target = aliasToName.get(n);
      if (target) return { $ref: target };
      warnings.add(`unknown type reference ${n} in ${ctx}`);
      return {};
    }
    case ts.SyntaxKind.TypeLiteral: {
      const idx = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (idx && node.members.length === 1) {
        return { type: 'object', additionalProperties: typeToSchema(idx.type, ctx) };
      }
      if (node.members.length === 0) return { type: 'object' };
      if (node.members.every((m) => ts.isPropertySignature(m))) return objectSchema(node, ctx, { inline: true });
      break;
    }
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: typeToSchema(node.elementType, ctx) };
  }
  warnings.add(`unhandled type ${ts.SyntaxKind[node.kind]} ${node.getText()} in ${ctx}`);
  return {};
}


/** object schema from an interface or inline type literal */
function objectSchema(st, name, { inline }) {
  const schema = { type: 'object' };
  const props = {};
  const required = [];
  let apiVersion, kind;
  for (const m of st.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    let s = typeToSchema(m.type, `${name}.${prop}`);
    if (s === null) s = {};
    if ((prop === 'apiVersion' || prop === 'kind') && s.enum?.length === 1) {
      if (prop === 'apiVersion') apiVersion = s.enum[0];
      else kind = s.enum[0];
      s = { type: 'string' };
    } else if (!m.questionToken) {
      required.push(prop);
    }
    const d = description(m);
    if (d) s.description = d;
    props[prop] = s;
  }
  if (Object.keys(props).length) schema.properties = props;
  if (required.length) schema.required = required;
  if (apiVersion && kind && !inline) {
    const i = apiVersion.indexOf('/');
    schema['x-kubernetes-group-version-kind'] = [
      { group: i < 0 ? '' : apiVersion.slice(0, i), kind, version: i < 0 ? apiVersion : apiVersion.slice(i + 1) },
    ];
  }
  if (inline) schema['x-inline'] = true;
  return schema;
}

/** name -> raw schema (refs as bare canonical names) */
const raw = new Map();

for (const [name, { sf, pascal, pkgDir }] of parsed) {
  const typeName = name.slice(name.lastIndexOf('.') + 1);
  let schema;
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) && st.name.text === `I${typeName}`) {
      schema = objectSchema(st, name, {});
      const desc = description(st);
      if (desc) schema = { description: desc, ...schema };
      break;
    }
    if (ts.isTypeAliasDeclaration(st) && st.name.text === `I${typeName}`) {
      schema = typeToSchema(st.type, name);
      const desc = description(st);
      if (desc) schema = { ...schema, description: desc };
      break;
    }
  }
  if (!schema) {
    warnings.add(`no declaration for ${name}`);
    continue;
  }
  raw.set(name, { schema, pascal, pkgDir });
}

// inline object literals (e.g. StatefulSetSpec.volumeClaimTemplates items): point them at the named
// schema with the same structure, as kube-openapi does.
function shapeKey(s) {
  return JSON.stringify(s, (k, v) => (k === 'description' || k === 'x-inline' || k === 'x-kubernetes-group-version-kind' ? undefined : v));
}
const byShape = new Map();
for (const [n, r] of raw) if (r.schema.properties) byShape.set(shapeKey(r.schema.properties), n);
function resolveInline(s) {
  if (!s || typeof s !== 'object') return s;
  if (s['x-inline']) {
    const target = byShape.get(shapeKey(s.properties));
    if (target) return { $ref: target, ...(s.description ? { description: s.description } : {}) };
    delete s['x-inline'];
    warnings.add('inline object without a named equivalent');
  }
  for (const k of ['items', 'additionalProperties']) if (s[k]) s[k] = resolveInline(s[k]);
  if (s.properties) for (const [k, v] of Object.entries(s.properties)) s.properties[k] = resolveInline(v);
  return s;
}
for (const r of raw.values()) r.schema = resolveInline(r.schema);

// ---------------------------------------------------------------------------------------------
// 4. probe the ajv validators for integer/number and formats

const validators = new Map();
async function loadValidator(name) {
  if (validators.has(name)) return validators.get(name);
  const r = raw.get(name);
  let fn;
  if (r) {
    const f = path.join(r.pkgDir, '_schemas', `${r.pascal}.mjs`);
    if (fs.existsSync(f)) fn = (await import(pathToFileURL(f).href)).validate;
  }
  validators.set(name, fn);
  return fn;
}

/** run validator on data, return errors at exactly instancePath */
function errorsAt(fn, data, instancePath) {
  try {
    fn(data);
  } catch {
    return [];
  }
  return (fn.errors || []).filter((e) => e.instancePath === instancePath);
}

/** refine a leaf schema (number/string) found at `wrap(value)` with pointer `ptr` */
function refineLeaf(leaf, fn, wrap, ptr) {
  if (leaf.type === 'number') {
    const errs = errorsAt(fn, wrap(0.5), ptr);
    if (errs.some((e) => e.keyword === 'type' && e.params?.type === 'integer')) leaf.type = 'integer';
    const fmt = errs.find((e) => e.keyword === 'format');
    if (fmt) leaf.format = fmt.params.format;
    else if (leaf.type === 'number') {
      const errs2 = errorsAt(fn, wrap(Number.MAX_VALUE), ptr);
      const f2 = errs2.find((e) => e.keyword === 'format');
      if (f2) leaf.format = f2.params.format;
    }
  } else if (leaf.type === 'string') {
    const errs = errorsAt(fn, wrap('\u0001'), ptr);
    const fmt = errs.find((e) => e.keyword === 'format');
    if (fmt) leaf.format = fmt.params.format;
    const en = errs.find((e) => e.keyword === 'enum');
    if (en && !leaf.enum && Array.isArray(en.params?.allowedValues)) leaf.enum = [...en.params.allowedValues];
  }
}

function refineValue(s, fn, wrap, ptr) {
  if (!s || s.$ref) return;
  if (s.type === 'array' && s.items) {
    refineValue(s.items, fn, (v) => wrap([v]), `${ptr}/0`);
  } else if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') {
    refineValue(s.additionalProperties, fn, (v) => wrap({ k: v }), `${ptr}/k`);
  } else if (s.oneOf) {
    // int-or-string style unions: probe the integer branch
    const errs = errorsAt(fn, wrap(2 ** 40), ptr).concat(errorsAt(fn, wrap(0.5), ptr));
    const fmt = errs.find((e) => e.keyword === 'format');
    if (fmt) s.oneOf[0].format = fmt.params.format;
  } else {
    refineLeaf(s, fn, wrap, ptr);
  }
}

for (const [name, r] of raw) {
  const fn = await loadValidator(name);
  if (!fn) {
    if (!['FieldsV1', 'RawExtension'].some((x) => name.endsWith(x))) warnings.add(`no validator for ${name}`);
    continue;
  }
  const s = r.schema;
  if (s.properties) {
    for (const [prop, ps] of Object.entries(s.properties)) {
      if (prop === 'apiVersion' || prop === 'kind') continue;
      refineValue(ps, fn, (v) => ({ [prop]: v }), `/${prop}`);
    }
  } else {
    refineValue(s, fn, (v) => v, '');
  }
}

// ---------------------------------------------------------------------------------------------
// 5. kube-openapi conventions for the special apimachinery types

const META = 'io.k8s.apimachinery.pkg';
function special(name, fn) {
  const r = raw.get(name);
  if (r) r.schema = fn(r.schema);
}
// IntOrString and Quantity are described the way kube-openapi's v3 output does: no single `type`,
// a oneOf of the two JSON types, so `kubectl explain` shows them as <IntOrString> / <Quantity>.
special(`${META}.util.intstr.IntOrString`, (s) => ({
  ...(s.description ? { description: s.description } : {}),
  oneOf: [{ type: 'integer' }, { type: 'string' }],
  format: 'int-or-string',
  'x-kubernetes-int-or-string': true,
}));
special(`${META}.api.resource.Quantity`, (s) => ({
  ...(s.description ? { description: s.description } : {}),
  oneOf: [{ type: 'string' }, { type: 'number' }],
  format: 'quantity',
}));
for (const t of ['Time', 'MicroTime']) {
  special(`${META}.apis.meta.v1.${t}`, (s) => ({ ...s, type: 'string', format: s.format || 'date-time' }));
}
for (const t of [`${META}.apis.meta.v1.FieldsV1`, `${META}.runtime.RawExtension`]) {
  special(t, (s) => ({ ...s, type: 'object', 'x-kubernetes-preserve-unknown-fields': true }));
}

// Top-level kinds declare apiVersion/kind as literal types without JSDoc; reuse the package's own
// descriptions of those TypeMeta fields (as written on meta/v1 DeleteOptions).
{
  const typeMeta = raw.get(`${META}.apis.meta.v1.DeleteOptions`)?.schema.properties ?? {};
  for (const r of raw.values()) {
    for (const f of ['apiVersion', 'kind']) {
      const p = r.schema.properties?.[f];
      if (p && !p.description && typeMeta[f]?.description) p.description = typeMeta[f].description;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 6. patch facts

const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8'));
function applyFact(target, f) {
  if (f.mergeKey) target['x-kubernetes-patch-merge-key'] = f.mergeKey;
  if (f.strategy) target['x-kubernetes-patch-strategy'] = f.strategy;
  if (f.listType) target['x-kubernetes-list-type'] = f.listType;
  if (f.listMapKeys) target['x-kubernetes-list-map-keys'] = f.listMapKeys;
  if (f.mapType) target['x-kubernetes-map-type'] = f.mapType;
}
for (const [key, f] of Object.entries(facts.fields)) {
  const i = key.lastIndexOf('.');
  const r = raw.get(key.slice(0, i));
  const p = r?.schema.properties?.[key.slice(i + 1)];
  if (!p) {
    warnings.add(`patch fact for unknown field ${key}`);
    continue;
  }
  applyFact(p, f);
}
for (const [key, f] of Object.entries(facts.types)) {
  const r = raw.get(key);
  if (!r) {
    warnings.add(`patch fact for unknown type ${key}`);
    continue;
  }
  applyFact(r.schema, f);
}

// ---------------------------------------------------------------------------------------------
// 7. final OpenAPI v3 shape: refs as #/components/schemas/..., allOf-wrapped when they carry siblings

const PREFIX = '#/components/schemas/';
const structs = new Set([...raw].filter(([, r]) => r.schema.properties).map(([n]) => n));

function finalize(s, isProperty) {
  if (!s || typeof s !== 'object') return s;
  if (s.$ref) {
    const target = s.$ref;
    if (!raw.has(target)) warnings.add(`dangling ref ${target}`);
    const ref = { $ref: PREFIX + target };
    const rest = { ...s };
    delete rest.$ref;
    if (!isProperty || Object.keys(rest).length === 0) return ref;
    return { allOf: [ref], ...(structs.has(target) ? { default: {} } : {}), ...rest };
  }
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties') {
      out.properties = {};
      for (const [pk, pv] of Object.entries(v)) out.properties[pk] = finalize(pv, true);
    } else if (k === 'items' || k === 'additionalProperties') {
      out[k] = typeof v === 'object' ? finalize(v, false) : v;
    } else out[k] = v;
  }
  return out;
}

const schemas = {};
for (const name of [...raw.keys()].sort()) schemas[name] = finalize(raw.get(name).schema, false);

const out = {
  source: `kubernetes-models@${modelsVersion}`,
  generator: 'scripts/openapi/generate.mjs',
  schemas,
};
const json = JSON.stringify(out);

for (const w of [...warnings].sort()) console.warn(`warning: ${w}`);

if (process.argv.includes('--check')) {
  const cur = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
  if (cur !== json) {
    console.error(`${path.relative(root, outFile)} is out of date; run node scripts/openapi/generate.mjs`);
    process.exit(1);
  }
  console.log('schemas.json is up to date');
} else {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, json);
  console.log(`wrote ${path.relative(root, outFile)}: ${Object.keys(schemas).length} schemas, ${json.length} bytes`);
}
