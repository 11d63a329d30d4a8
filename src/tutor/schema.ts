/**
 * The lesson format (lessons/*.yaml), as TypeScript types plus a validator with messages that
 * point at the offending path. Documented for authors in lessons/README.md.
 *
 * A lesson is a list of steps; each step has text in English and Chinese, reference command(s),
 * a declarative check evaluated through the Kubernetes API (so it works on real clusters too),
 * tiered hints, a "why it worked" note and, where the notes' 2019 syntax no longer works, a note
 * on what changed.
 */

export type Lang = 'en' | 'zh';
/** text in both languages (markdown allowed: `code`, **bold**, lists) */
export type Text = Record<Lang, string>;

/** an object reference: the resource as kubectl names it (`pods`, `po`, `rc`, `deployments.apps`) */
export interface ObjectRef {
  resource: string;
  name: string;
  /** default: the lesson's namespace (ignored for cluster-scoped resources) */
  namespace?: string;
}

export interface SelectorRef {
  resource: string;
  /** label selector, kubectl syntax (`app=kubia,env!=prod`) */
  selector?: string;
  /** field selector */
  fieldSelector?: string;
  namespace?: string;
}

export type Check =
  | { all: Check[] }
  | { any: Check[] }
  | { not: Check }
  /** the object exists (and is not being deleted unless `terminating: true` is allowed) */
  | { exists: ObjectRef }
  /** no such object (or it is terminating) */
  | { absent: ObjectRef }
  /** how many objects match; pods may be filtered by phase / readiness / owner */
  | {
      count: SelectorRef & {
        phase?: string;
        ready?: boolean;
        /** `ReplicationController/kubia`: pods whose controller owner is that object */
        owner?: string;
        equals?: number;
        min?: number;
        max?: number;
      };
    }
  /** a field of one object (kubectl JSONPath), compared */
  | { field: ObjectRef & { path: string; equals?: string | number | boolean; matches?: string; oneOf?: Array<string | number>; min?: number } }
  /** labels (or annotations) of one object */
  | { labels: ObjectRef & { has?: Record<string, string>; keys?: string[]; absent?: string[] } }
  | { annotations: ObjectRef & { has?: Record<string, string>; keys?: string[]; absent?: string[] } }
  /** an event with this reason happened (about a matching object) */
  | { event: { reason: string; resource?: string; name?: string; namePrefix?: string; namespace?: string; message?: string } }
  /** an HTTP request answers (sandbox: through the virtual network; real cluster: from a pod via exec) */
  | { http: { url: string; matches: string; from?: 'host' | 'pod' } }
  /** the learner ran a kubectl command of this shape (read-only steps) */
  | { ran: RanPattern };

export interface RanPattern {
  /** command path: `get`, `describe`, `rollout status`, `logs` … */
  command: string;
  /** resource type as the server knows it (`pods`): matched after resolving aliases (`po`, `pod`) */
  resource?: string;
  /** an object name among the arguments */
  name?: string;
  /** flags that must be present, by long name: `{output: wide}`, `{all-namespaces: true}`, `{selector: '*'}` (any value) */
  flags?: Record<string, string | boolean>;
  /** the command must have succeeded (default true) */
  succeeded?: boolean;
}

export interface Step {
  id: string;
  text: Text;
  /** the reference command(s), typed as a learner would */
  commands: string[];
  check: Check;
  /** nudge → shape of the command → the exact command, in both languages */
  hints: Record<Lang, string[]>;
  /** shown after success */
  why?: Text;
  /** what changed since the notes (2019) */
  changed?: Text;
  /** the step needs sandbox powers (node down, time warp); on real clusters it can be skipped */
  sandboxOnly?: boolean;
}

export interface Setup {
  /** manifests (lessons/manifests/…) created before the lesson starts */
  apply?: string[];
  /** kubectl lines run silently before the lesson starts */
  commands?: string[];
  /** files copied into the learner's working directory: name → lessons/manifests path */
  files?: Record<string, string>;
  /** delete these (kubectl `delete` arguments, e.g. `all --all`) first so the lesson starts clean */
  clean?: string[];
}

export interface Lesson {
  id: string;
  title: Text;
  summary: Text;
  /** lesson ids to finish first (advisory) */
  requires?: string[];
  /** sandbox clock speed while the lesson runs */
  speed?: number;
  setup?: Setup;
  steps: Step[];
  cleanup?: { commands?: string[] };
  /** the notes' commands this lesson covers (for the coverage check) */
  covers?: string[];
}

export class LessonError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    message: string,
  ) {
    super(`${file}: ${path}: ${message}`);
    this.name = 'LessonError';
  }
}

const CHECK_KINDS = ['all', 'any', 'not', 'exists', 'absent', 'count', 'field', 'labels', 'annotations', 'event', 'http', 'ran'] as const;

type V = (cond: unknown, path: string, message: string) => asserts cond;

function isText(t: unknown): t is Text {
  return !!t && typeof t === 'object' && typeof (t as Text).en === 'string' && typeof (t as Text).zh === 'string' && !!(t as Text).en.trim() && !!(t as Text).zh.trim();
}

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** Validate a parsed lesson; throws LessonError naming the file and path of the first problem. */
export function validateLesson(doc: unknown, file: string): Lesson {
  const ok: V = (cond, path, message) => {
    if (!cond) throw new LessonError(file, path, message);
  };
  ok(doc && typeof doc === 'object', '', 'a lesson is a mapping');
  const l = doc as Lesson;
  ok(typeof l.id === 'string' && ID.test(l.id), 'id', 'a lowercase id (a-z, 0-9, -) is required');
  ok(isText(l.title), 'title', 'en and zh text required');
  ok(isText(l.summary), 'summary', 'en and zh text required');
  ok(l.requires === undefined || (Array.isArray(l.requires) && l.requires.every((r) => typeof r === 'string')), 'requires', 'a list of lesson ids');
  ok(l.speed === undefined || (typeof l.speed === 'number' && l.speed > 0), 'speed', 'a positive number');
  if (l.setup) {
    const s = l.setup;
    for (const k of ['apply', 'commands', 'clean'] as const) ok(s[k] === undefined || (Array.isArray(s[k]) && s[k]!.every((x) => typeof x === 'string')), `setup.${k}`, 'a list of strings');
    ok(s.files === undefined || (typeof s.files === 'object' && Object.values(s.files).every((x) => typeof x === 'string')), 'setup.files', 'a mapping of file name → manifest path');
  }
  ok(Array.isArray(l.steps) && l.steps.length > 0, 'steps', 'at least one step');
  const ids = new Set<string>();
  l.steps.forEach((st, i) => {
    const p = `steps[${i}]`;
    ok(st && typeof st === 'object', p, 'a step is a mapping');
    ok(typeof st.id === 'string' && ID.test(st.id), `${p}.id`, 'a lowercase id is required');
    ok(!ids.has(st.id), `${p}.id`, `duplicate step id "${st.id}"`);
    ids.add(st.id);
    ok(isText(st.text), `${p}.text`, 'en and zh text required');
    ok(Array.isArray(st.commands) && st.commands.length > 0 && st.commands.every((c) => typeof c === 'string' && c.trim()), `${p}.commands`, 'at least one reference command');
    validateCheck(st.check, `${p}.check`, ok);
    ok(st.hints && typeof st.hints === 'object', `${p}.hints`, 'hints in en and zh required');
    for (const lang of ['en', 'zh'] as const) {
      ok(Array.isArray(st.hints[lang]) && st.hints[lang].length > 0 && st.hints[lang].every((h) => typeof h === 'string' && h.trim()), `${p}.hints.${lang}`, 'at least one hint');
    }
    ok(st.hints.en.length === st.hints.zh.length, `${p}.hints`, 'en and zh need the same number of hint tiers');
    ok(st.why === undefined || isText(st.why), `${p}.why`, 'en and zh text required');
    ok(st.changed === undefined || isText(st.changed), `${p}.changed`, 'en and zh text required');
  });
  ok(l.covers === undefined || (Array.isArray(l.covers) && l.covers.every((c) => typeof c === 'string')), 'covers', 'a list of command strings');
  return l;
}

function validateCheck(c: unknown, path: string, ok: V): void {
  ok(c && typeof c === 'object' && !Array.isArray(c), path, 'a check is a mapping with one of: ' + CHECK_KINDS.join(', '));
  const keys = Object.keys(c as object);
  ok(keys.length === 1 && (CHECK_KINDS as readonly string[]).includes(keys[0]!), path, `exactly one of ${CHECK_KINDS.join(', ')} (got ${keys.join(', ') || 'nothing'})`);
  const kind = keys[0] as (typeof CHECK_KINDS)[number];
  const body = (c as Record<string, any>)[kind];
  const p = `${path}.${kind}`;
  switch (kind) {
    case 'all':
    case 'any':
      ok(Array.isArray(body) && body.length > 0, p, 'a non-empty list of checks');
      body.forEach((b: unknown, i: number) => validateCheck(b, `${p}[${i}]`, ok));
      return;
    case 'not':
      validateCheck(body, p, ok);
      return;
    case 'exists':
    case 'absent':
      ok(typeof body?.resource === 'string' && typeof body?.name === 'string', p, 'resource and name required');
      return;
    case 'count':
      ok(typeof body?.resource === 'string', p, 'resource required');
      ok(['equals', 'min', 'max'].some((k) => typeof body[k] === 'number'), p, 'one of equals, min, max required');
      return;
    case 'field':
      ok(typeof body?.resource === 'string' && typeof body?.name === 'string' && typeof body?.path === 'string', p, 'resource, name and path required');
      ok(['equals', 'matches', 'oneOf', 'min'].some((k) => body[k] !== undefined), p, 'one of equals, matches, oneOf, min required');
      if (body.matches !== undefined) {
        try {
          new RegExp(body.matches);
        } catch {
          ok(false, `${p}.matches`, 'not a valid regular expression');
        }
      }
      return;
    case 'labels':
    case 'annotations':
      ok(typeof body?.resource === 'string' && typeof body?.name === 'string', p, 'resource and name required');
      ok(body.has || body.keys || body.absent, p, 'one of has, keys, absent required');
      return;
    case 'event':
      ok(typeof body?.reason === 'string', p, 'reason required');
      return;
    case 'http':
      ok(typeof body?.url === 'string' && typeof body?.matches === 'string', p, 'url and matches required');
      return;
    case 'ran':
      ok(typeof body?.command === 'string' && body.command.trim(), p, 'command required');
      return;
  }
}
