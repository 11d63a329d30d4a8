/**
 * kubectl cp: files to and from containers, as kubectl does it — `tar` run in the container through
 * exec (so a container without tar fails the way it fails for kubectl).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { KubectlError } from '../client/errors.js';
import type { Command, Invocation, Stdin } from '../command.js';
import { exitCodeOf, runRemoteCommand } from '../stream/remotecommand.js';
import { defaultContainer } from '../stream/pods.js';
import { tarOf, untar } from '../stream/tar.js';

interface Spec {
  namespace?: string;
  pod?: string;
  file: string;
}

const FORMAT = 'filespec must match the canonical format: [[namespace/]pod:]file/path';

function parseSpec(arg: string): Spec {
  const i = arg.indexOf(':');
  if (i === 0) throw new KubectlError(FORMAT);
  if (i < 0) return { file: arg };
  const pod = arg.slice(0, i);
  const file = arg.slice(i + 1);
  const pieces = pod.split('/');
  if (pieces.length === 1) return { pod: pieces[0], file };
  if (pieces.length === 2) return { namespace: pieces[0], pod: pieces[1], file };
  throw new KubectlError(FORMAT);
}

function bufferStdin(data: Buffer): Stdin {
  return {
    readAll: async () => data.toString('utf8'),
    on(event: 'data' | 'end', cb: any) {
      setImmediate(() => (event === 'data' ? cb(data) : cb()));
    },
  } as Stdin;
}

async function runIn(inv: Invocation, ns: string, pod: string, container: string, command: string[], stdin?: Buffer): Promise<{ stdout: Buffer; code: number | undefined; message?: string }> {
  const client = await inv.client();
  const chunks: Buffer[] = [];
  const status = await runRemoteCommand(client.config.kc, {
    path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/exec`,
    command,
    container,
    stdin: stdin ? bufferStdin(stdin) : undefined,
    wantStdin: !!stdin,
    tty: false,
    stdout: (b) => chunks.push(Buffer.from(b)),
    stderr: (b) => inv.err.write(b.toString('utf8')),
    signal: inv.signal,
  });
  return { stdout: Buffer.concat(chunks), code: exitCodeOf(status), message: status.message };
}

export const cp: Command = {
  name: 'cp',
  short: 'Copy files to and from containers',
  group: 'advanced',
  usage: 'kubectl cp <file-spec-src> <file-spec-dest> [options]',
  example: 'kubectl cp kubia:/etc/hosts ./hosts\nkubectl cp ./app.conf kubia:/tmp/app.conf -c main',
  flags: [
    { name: 'container', short: 'c', type: 'string', usage: 'The container to copy from or to.' },
    { name: 'no-preserve', type: 'bool', usage: 'Do not keep ownership and permissions.' },
    { name: 'retries', type: 'int', default: 0, usage: 'Retries on failure.' },
  ],
  validate(inv) {
    if (inv.args.length !== 2) throw new KubectlError('source and destination are required');
  },
  async run(inv) {
    const src = parseSpec(inv.args[0]!);
    const dest = parseSpec(inv.args[1]!);
    if (!src.pod && !dest.pod) throw new KubectlError('one of src or dest must be a remote file specification');
    if (src.pod && dest.pod) throw new KubectlError('one of src or dest must be a local file specification');
    const client = await inv.client();
    const remote = (src.pod ? src : dest) as Required<Pick<Spec, 'pod'>> & Spec;
    const ns = remote.namespace ?? client.namespace;
    if (!remote.file) throw new KubectlError(src.pod ? 'remote path cannot be empty' : 'remote path cannot be empty');
    const podsRes = await client.discovery.resolve('pods');
    const pod = await client.get(podsRes, ns, remote.pod);
    let container = inv.str('container');
    if (!container) {
      const choice = defaultContainer(pod);
      container = choice.name;
      if (choice.note) inv.err.write(choice.note + '\n');
    }
    const fail = (r: { code: number | undefined; message?: string }) => {
      if (r.code !== undefined && r.code !== 0) return new KubectlError(`command terminated with exit code ${r.code}`);
      return new KubectlError(r.message ?? 'error executing remote command');
    };
    if (src.pod) {
      const r = await runIn(inv, ns, remote.pod, container, ['tar', 'cf', '-', src.file]);
      if (r.code !== 0) throw fail(r);
      const local = isAbsolute(dest.file) ? dest.file : resolve(inv.session.cwd, dest.file);
      untar(r.stdout, src.file, local);
      return;
    }
    const localSrc = isAbsolute(src.file) ? src.file : resolve(inv.session.cwd, src.file);
    if (!existsSync(localSrc)) throw new KubectlError(`${src.file} doesn't exist in local filesystem`);
    let destFile = dest.file;
    const isDir = await runIn(inv, ns, remote.pod, container, ['test', '-d', destFile]).catch(() => ({ code: 1 }));
    if (isDir.code === 0) destFile = destFile.replace(/\/+$/, '') + '/' + basename(localSrc);
    const slash = destFile.lastIndexOf('/');
    const dir = slash > 0 ? destFile.slice(0, slash) : slash === 0 ? '/' : '';
    const name = destFile.slice(slash + 1);
    const tar = tarOf(localSrc, name || basename(localSrc));
    void statSync;
    const r = await runIn(inv, ns, remote.pod, container, ['tar', '-xmf', '-', ...(dir ? ['-C', dir] : [])], tar);
    if (r.code !== 0) throw fail(r);
  },
};
