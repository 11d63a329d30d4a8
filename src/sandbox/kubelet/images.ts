/**
 * The registry as the simulated nodes see it: which image references exist, their sizes and
 * digests, and what runs when a container starts (entrypoint/cmd and the programs behind the
 * executables). Data, not code: add an image by adding an entry.
 */
import { createHash } from 'node:crypto';
import { splitImageRef } from '../defaults/pod.js';
import { SHELL_COMMANDS, type ProgramName } from './programs/index.js';

export interface ImageDef {
  /** canonical repository, e.g. `docker.io/luksa/kubia` */
  repo: string;
  /** tags that exist in the registry */
  tags: string[] | RegExp;
  sizeBytes: number;
  entrypoint: string[];
  cmd: string[];
  /** executable basename → program; per tag when the program differs (kubia:v1…v4) */
  binaries: Record<string, ProgramName> | ((tag: string) => Record<string, ProgramName>);
  /** has /bin/sh and the usual commands (busybox, Debian, Alpine) */
  shell: boolean;
  /**
   * the image config's `Env`, in order (PATH first). HOSTNAME is set by the runtime and HOME by runc
   * (from the user's passwd entry) when the image does not declare it.
   */
  env?: Record<string, string>;
  /** the image config's `User` (root when absent) */
  user?: string;
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** node:7 (what luksa/kubia is built FROM) */
const NODE7_ENV = { PATH: DEFAULT_PATH, NPM_CONFIG_LOGLEVEL: 'info', NODE_VERSION: '7.9.0', YARN_VERSION: '0.22.0' };

/** the image's environment as the runtime starts from it */
export function imageEnv(def: ImageDef | undefined): Record<string, string> {
  return { ...(def?.env ?? { PATH: DEFAULT_PATH }) };
}

/** the user's home directory (what runc puts in HOME) */
export function imageHome(def: ImageDef | undefined): string {
  const user = def?.user ?? 'root';
  return user === 'root' ? '/root' : `/home/${user}`;
}

const kubiaLike = (program: ProgramName, sizeBytes: number, repo: string, tags: string[] = ['latest']): ImageDef => ({
  repo, tags, sizeBytes, entrypoint: ['node', 'app.js'], cmd: [], binaries: { node: program }, shell: true, env: NODE7_ENV,
});

/** the catalogue (curriculum.md §3 for the book's images) */
export const IMAGES: ImageDef[] = [
  {
    ...kubiaLike('kubia', 254_020_467, 'docker.io/luksa/kubia', ['latest', 'v1', 'v2', 'v3', 'v4']),
    binaries: (tag) => ({ node: /^v[1-4]$/.test(tag) ? (`kubia-${tag}` as ProgramName) : 'kubia' }),
  },
  kubiaLike('kubia-ximage', 254_020_102, 'docker.io/ximage/kubia'),
  kubiaLike('kubia-unhealthy', 254_020_811, 'docker.io/luksa/kubia-unhealthy'),
  {
    repo: 'docker.io/luksa/batch-job', tags: ['latest'], sizeBytes: 1_129_289,
    entrypoint: ['/bin/sh', '-c', 'echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"'],
    cmd: [], binaries: {}, shell: true,
  },
  {
    repo: 'docker.io/luksa/ssd-monitor', tags: ['latest'], sizeBytes: 1_129_301,
    entrypoint: ['/bin/sh', '-c', 'while true; do echo "SSD OK"; sleep 5; done'],
    cmd: [], binaries: {}, shell: true,
  },
  {
    repo: 'docker.io/library/nginx',
    tags: /^(latest|stable|mainline|alpine|perl|stable-alpine|mainline-alpine|1\.(1[4-9]|2[0-9])(\.\d+)?(-(alpine|perl|bookworm|alpine-slim))?)$/,
    sizeBytes: 72_324_501, entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'],
    binaries: { 'docker-entrypoint.sh': 'nginx', nginx: 'nginx' }, shell: true,
    env: {
      PATH: DEFAULT_PATH, NGINX_VERSION: '1.27.4', NJS_VERSION: '0.8.9', NJS_RELEASE: '1~bookworm', PKG_RELEASE: '1~bookworm',
      DYNPKG_RELEASE: '1~bookworm',
    },
  },
  {
    repo: 'docker.io/library/busybox',
    tags: /^(latest|stable|musl|glibc|uclibc|1\.(2\d|3[0-7])(\.\d+)?(-(musl|glibc|uclibc))?)$/,
    sizeBytes: 2_155_589, entrypoint: [], cmd: ['sh'], binaries: {}, shell: true,
  },
  {
    repo: 'docker.io/library/alpine', tags: /^(latest|edge|3\.\d+(\.\d+)?)$/,
    sizeBytes: 3_653_068, entrypoint: [], cmd: ['/bin/sh'], binaries: {}, shell: true,
  },
  {
    // a server that can be slow (/delay/N) or fail (/status/500) on purpose: probe timeouts
    repo: 'docker.io/kennethreitz/httpbin', tags: ['latest'], sizeBytes: 199_929_402,
    entrypoint: [], cmd: ['gunicorn', '-b', '0.0.0.0:80', 'httpbin:app', '-k', 'gevent'],
    binaries: { gunicorn: 'httpbin' }, shell: true,
    env: { PATH: DEFAULT_PATH, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
  },
  {
    repo: 'docker.io/curlimages/curl', tags: /^(latest|\d+\.\d+\.\d+)$/,
    sizeBytes: 12_120_314, entrypoint: ['/entrypoint.sh'], cmd: ['curl'],
    binaries: { 'entrypoint.sh': 'curl', curl: 'curl' }, shell: true,
    env: { PATH: DEFAULT_PATH, CURL_CA_BUNDLE: '/cacert.pem' }, user: 'curl_user',
  },
];

export interface ImageRef {
  /** as written in the pod spec */
  image: string;
  /** `docker.io/library/nginx` */
  repo: string;
  tag: string;
  digest?: string;
  /** `docker.io/library/nginx:latest` (what containerStatuses[].image shows) */
  canonical: string;
}

/** normalise like containerd: docker.io and library/ are implied; `latest` when no tag */
export function parseImageRef(image: string): ImageRef | undefined {
  const split = splitImageRef(image);
  if (!split) return undefined;
  let { tag } = split;
  const digest = split.digest || undefined;
  const parts = split.repo.split('/');
  if (parts.length === 1 || !/[.:]|^localhost$/.test(parts[0])) {
    if (parts.length === 1) parts.unshift('library');
    parts.unshift('docker.io');
  }
  const repo = parts.join('/');
  if (!tag && !digest) tag = 'latest';
  return { image, repo, tag, digest, canonical: digest && !tag ? `${repo}@${digest}` : `${repo}:${tag}` };
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export interface ResolvedImage {
  ref: ImageRef;
  def: ImageDef;
  /** `docker.io/luksa/kubia@sha256:…` */
  imageID: string;
  sizeBytes: number;
  binaries: Record<string, ProgramName>;
}

export type Resolution =
  | { ok: true; image: ResolvedImage }
  | { ok: false; reason: 'InvalidImageName' | 'NotFound'; message: string };

/** a preloaded image that is not in the catalogue: runs as a quiet service */
function preloadedDef(ref: ImageRef, sizeBytes: number): ImageDef {
  return { repo: ref.repo, tags: [ref.tag], sizeBytes, entrypoint: ['daemon'], cmd: [], binaries: { daemon: 'daemon' }, shell: false };
}

/**
 * What pulling `image` gives. `preloaded` are the node's image names (status.images) for images
 * outside the catalogue (system pods).
 */
export function resolveImage(image: string, preloaded?: Map<string, number>): Resolution {
  const ref = parseImageRef(image);
  if (!ref) {
    return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
  }
  const def = IMAGES.find((d) => d.repo === ref.repo);
  const tagOk = def && (ref.digest && !ref.tag ? true : Array.isArray(def.tags) ? def.tags.includes(ref.tag) : def.tags.test(ref.tag));
  const pre = preloaded?.get(image) ?? preloaded?.get(ref.canonical);
  if (!def || !tagOk) {
    if (pre !== undefined) {
      const d = preloadedDef(ref, pre);
      return { ok: true, image: { ref, def: d, imageID: `${ref.repo}@sha256:${sha256(`digest:${ref.canonical}`)}`, sizeBytes: pre, binaries: { daemon: 'daemon' } } };
    }
    const what = `"${ref.canonical}"`;
    const message = def
      ? `rpc error: code = NotFound desc = failed to pull and unpack image ${what}: failed to resolve reference ${what}: ${ref.canonical}: not found`
      : `rpc error: code = Unknown desc = failed to pull and unpack image ${what}: failed to resolve reference ${what}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    return { ok: false, reason: 'NotFound', message };
  }
  const digest = ref.digest ?? `sha256:${sha256(`digest:${ref.canonical}`)}`;
  const binaries = typeof def.binaries === 'function' ? def.binaries(ref.tag) : def.binaries;
  return { ok: true, image: { ref, def, imageID: `${ref.repo}@${digest}`, sizeBytes: def.sizeBytes, binaries } };
}

export type StartPlan =
  | { ok: true; program: ProgramName; argv: string[] }
  | { ok: false; message: string };

/** the process a container runs: entrypoint/cmd overridden by command/args, as the runtime does */
export function planStart(img: ResolvedImage, command?: string[], args?: string[]): StartPlan {
  const entry = command ?? img.def.entrypoint;
  const cmd = args ?? (command ? [] : img.def.cmd);
  const argv = [...entry, ...cmd];
  if (!argv.length) return { ok: false, message: startError('no command specified') };
  const exe = argv[0].split('/').pop()!;
  const program = img.binaries[exe];
  if (program) return { ok: true, program, argv };
  if (img.def.shell && SHELL_COMMANDS.has(exe)) return { ok: true, program: 'shell', argv };
  return { ok: false, message: startError(`exec: "${argv[0]}": executable file not found in $PATH`) };
}

function startError(detail: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${detail}: unknown`;
}
