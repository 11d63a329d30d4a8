import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { VOLUME_SYNC_PERIOD_MS } from '../../../src/sandbox/kubelet/programs/volumes.js';
import { startKubeletSandbox, type KT } from './helpers.js';

let t: KT | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function cat(pod: string, path: string): Promise<string> {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += c.toString(); cb(); } });
  await t!.kubelets.runtime.exec('default', pod, '', ['sh', '-c', `cat ${path}`], { stdout: w, stderr: w, tty: false }, new AbortController().signal);
  return out;
}

describe('mounted ConfigMap and Secret files follow updates', () => {
  it('updates directory mounts on the next sync after the change; subPath mounts keep the old value', async () => {
    t = await startKubeletSandbox();
    const { store, registry } = t.sandbox;
    const cmRT = registry.forKind('', 'ConfigMap')!;
    const secRT = registry.forKind('', 'Secret')!;
    await store.create(cmRT, 'default', { metadata: { name: 'cfg' }, data: { 'sleep-interval': '25', extra: 'x' } }, {});
    await store.create(secRT, 'default', { metadata: { name: 'sec' }, data: { password: Buffer.from('one').toString('base64') } }, {});
    await t.createPod('app', {
      volumes: [
        { name: 'config', configMap: { name: 'cfg' } },
        { name: 'secret', secret: { secretName: 'sec' } },
        { name: 'both', projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'sleep-interval', path: 'interval' }] } }, { serviceAccountToken: { path: 'token' } }] } },
      ],
      containers: [{
        name: 'bb', image: 'busybox', command: ['sleep', '3600'],
        env: [{ name: 'INTERVAL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'sleep-interval' } } }],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/config' },
          { name: 'config', mountPath: '/etc/interval', subPath: 'sleep-interval' },
          { name: 'secret', mountPath: '/etc/secret', readOnly: true },
          { name: 'both', mountPath: '/etc/both' },
        ],
      }],
    });
    await t.advance(3000);
    expect(t.pod('app')!.status.phase).toBe('Running');
    const token = await cat('app', '/etc/both/token');
    expect(await cat('app', '/etc/config/sleep-interval')).toBe('25');
    await t.advance(10_000);
    await store.guaranteedUpdate(cmRT, 'default', 'cfg', (cm) => ({ ...cm, data: { 'sleep-interval': '5' } }), {});
    await store.guaranteedUpdate(secRT, 'default', 'sec', (s) => ({ ...s, data: { password: Buffer.from('two').toString('base64') } }), {});
    await t.advance(1000);
    // not yet: the kubelet picks it up on its next sync
    expect(await cat('app', '/etc/config/sleep-interval')).toBe('25');
    expect(await cat('app', '/etc/secret/password')).toBe('one');
    await t.advance(VOLUME_SYNC_PERIOD_MS);
    expect(await cat('app', '/etc/config/sleep-interval')).toBe('5');
    expect(await cat('app', '/etc/config/extra')).toBe("cat: can't open '/etc/config/extra': No such file or directory\n");
    expect(await cat('app', '/etc/secret/password')).toBe('two');
    expect(await cat('app', '/etc/both/interval')).toBe('5');
    expect(await cat('app', '/etc/both/token')).toBe(token);
    // subPath: a copy at start, never updated
    expect(await cat('app', '/etc/interval')).toBe('25');
    // a deleted ConfigMap leaves the files as they were
    await store.delete(cmRT, 'default', 'cfg', {});
    await t.advance(2 * VOLUME_SYNC_PERIOD_MS);
    expect(await cat('app', '/etc/config/sleep-interval')).toBe('5');
  });
});
