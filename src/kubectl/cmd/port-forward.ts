/**
 * kubectl port-forward: listen locally (127.0.0.1 and ::1 for `localhost`, or --address) and carry
 * every accepted connection to a port of the pod (or of the pod behind a service/controller; a
 * service port becomes its target port) until cancelled.
 */
import { isIP } from 'node:net';
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import { podFor } from '../stream/pods.js';
import { closeAll, forwardConnection, listen, showAddress, type Listener } from '../stream/portforward.js';

const USAGE = "TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples";

function splitPort(p: string): [string, string] {
  const parts = p.split(':');
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return [p, p];
}

function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (n > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

function containerPortByName(pod: any, name: string): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new KubectlError(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

/** kubectl's conversion of named pod ports to numbers */
function convertPodPorts(ports: string[], pod: any): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    let containerPort = remote;
    if (!/^[+-]?\d+$/.test(remote)) containerPort = String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${containerPort}` : containerPort;
  });
}

/** kubectl's translation of service ports to the pod's target ports */
function translateServicePorts(ports: string[], svc: any, pod: any): string[] {
  return ports.map((port) => {
    let [local, remote] = splitPort(port);
    let portnum: number;
    if (/^[+-]?\d+$/.test(remote)) portnum = Number(remote);
    else {
      const sp = (svc.spec?.ports ?? []).find((p: any) => p.name === remote);
      if (!sp) throw new KubectlError(`Service '${svc.metadata.name}' does not have a named port '${remote}'`);
      portnum = sp.port;
      if (local === remote) local = String(portnum);
    }
    const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === portnum);
    if (!sp) throw new KubectlError(`Service ${svc.metadata.name} does not have a service port ${portnum}`);
    let containerPort: number;
    const tp = sp.targetPort;
    if (typeof tp === 'string') containerPort = containerPortByName(pod, tp);
    else containerPort = !tp ? portnum : tp;
    const r = String(containerPort);
    return local !== r ? `${local}:${containerPort}` : r;
  });
}

export const portForward: Command = {
  name: 'port-forward',
  short: 'Forward one or more local ports to a pod',
  group: 'troubleshoot',
  usage: 'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  example: 'kubectl port-forward kubia 8888:8080\nkubectl port-forward svc/kubia 8080:80\nkubectl port-forward --address 0.0.0.0 deploy/kubia :8080',
  flags: [
    { name: 'address', type: 'stringSlice', default: ['localhost'], usage: 'Local addresses to listen on (localhost means 127.0.0.1 and ::1).' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'How long to wait for a running pod.' },
  ],
  validate(inv) {
    if (inv.args.length < 2) throw new KubectlError(USAGE);
  },
  async run(inv) {
    const client = await inv.client();
    const ns = client.namespace;
    const arg = inv.args[0]!;
    const target = await podFor(client, ns, arg, { ordering: 'active', verb: 'attach to', signal: inv.signal, timeoutMs: 60_000 });
    let ports = inv.args.slice(1);
    if (target.resource.group === '' && target.resource.resource === 'services') {
      const svc = await client.get(target.resource, ns, arg.slice(arg.indexOf('/') + 1));
      ports = translateServicePorts(ports, svc, target.pod);
    } else {
      ports = convertPodPorts(ports, target.pod);
    }
    const forwarded: Array<{ local: number; remote: number }> = [];
    for (const p of ports) {
      const parts = p.split(':');
      if (parts.length > 2) throw new KubectlError(`invalid port format '${p}'`);
      const localStr = parts.length === 2 ? parts[0] || '0' : parts[0]!;
      const remoteStr = parts.length === 2 ? parts[1]! : parts[0]!;
      const local = parseUint16(localStr);
      if (typeof local === 'string') throw new KubectlError(`error parsing local port '${localStr}': ${local}`);
      const remote = parseUint16(remoteStr);
      if (typeof remote === 'string') throw new KubectlError(`error parsing remote port '${remoteStr}': ${remote}`);
      if (remote === 0) throw new KubectlError('remote port must be > 0');
      forwarded.push({ local, remote });
    }
    const addresses: Array<{ ip: string; net: 'tcp4' | 'tcp6' }> = [];
    for (const a of inv.list('address')) {
      if (a === 'localhost') addresses.push({ ip: '127.0.0.1', net: 'tcp4' }, { ip: '::1', net: 'tcp6' });
      else if (isIP(a)) addresses.push({ ip: a, net: isIP(a) === 6 ? 'tcp6' : 'tcp4' });
      else throw new KubectlError(`${a} is not a valid IP`);
    }
    const pod = target.pod;
    if (pod.status?.phase !== 'Running') throw new KubectlError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);

    const podPath = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod.metadata.name)}`;
    const listeners: Listener[] = [];
    const sockets = new Set<import('node:net').Socket>();
    for (const fp of forwarded) {
      const errors: string[] = [];
      let bound = 0;
      for (const a of addresses) {
        try {
          const { server, port } = await listen(a.ip, fp.local);
          if (fp.local === 0) fp.local = port;
          bound++;
          const shown = showAddress(a.ip);
          const l: Listener = { address: a.ip, shown, port: { ...fp }, server };
          listeners.push(l);
          inv.out.write(`Forwarding from ${shown}:${fp.local} -> ${fp.remote}\n`);
          inv.effect({ type: 'port-forward', address: a.ip, localPort: fp.local, remotePort: fp.remote, target: `pod/${pod.metadata.name}` });
          server.on('connection', (socket) => {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            inv.out.write(`Handling connection for ${fp.local}\n`);
            void forwardConnection(client.config.kc, podPath, fp.remote, socket, (msg) =>
              inv.err.write(`error: an error occurred forwarding ${fp.local} -> ${fp.remote}: ${msg}\n`),
            );
          });
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          const why = err.code === 'EADDRINUSE' ? 'bind: address already in use' : err.code === 'EACCES' ? 'bind: permission denied' : err.code === 'EADDRNOTAVAIL' ? 'bind: cannot assign requested address' : err.message;
          errors.push(`unable to create listener: Error listen ${a.net} ${showAddress(a.ip)}:${fp.local}: ${why}`);
        }
      }
      if (!bound) inv.err.write(`Unable to listen on port ${fp.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    }
    if (!listeners.length) {
      throw new KubectlError(`unable to listen on any of the requested ports: [${forwarded.map((f) => `{${f.local} ${f.remote}}`).join(' ')}]`);
    }
    inv.effect({ type: 'stream', kind: 'port-forward' });
    await new Promise<void>((resolve) => {
      if (inv.signal.aborted) return resolve();
      inv.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    for (const s of sockets) s.destroy();
    await closeAll(listeners);
  },
};
