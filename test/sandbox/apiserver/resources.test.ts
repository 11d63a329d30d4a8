import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { request } from 'node:https';
import { pod, startTestSandbox, TABLE_ACCEPT, type TestSandbox } from '../../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
/** a pod no scheduler picks up, so it stays Pending whatever the control plane does */
const unscheduled = (name: string, labels: Record<string, string> = {}) => pod(name, labels, { schedulerName: 'nobody' });

describe('object semantics', () => {
  it('fills uid, creationTimestamp, a growing resourceVersion and the namespace from the URL', async () => {
    const a = await t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'sem-a' }, data: { k: 'v' } });
    expect(a.code).toBe(201);
    expect(a.json.metadata).toMatchObject({ name: 'sem-a', namespace: 'default' });
    expect(a.json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.json.metadata.creationTimestamp).toBe('2026-11-27T12:00:00Z');
    const b = await t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'sem-' } });
    expect(b.json.metadata.name).toMatch(/^sem-[a-z0-9]{5}$/);
    expect(Number(b.json.metadata.resourceVersion)).toBeGreaterThan(Number(a.json.metadata.resourceVersion));
  });

  it('bumps generation only on spec changes and keeps status out of main-resource writes', async () => {
    const rc = {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'gen-rc' },
      spec: { replicas: 1, selector: { app: 'gen' }, template: { metadata: { labels: { app: 'gen' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      status: { replicas: 7 },
    };
    const c = await t.call('POST', '/api/v1/namespaces/default/replicationcontrollers', rc);
    expect(c.json.metadata.generation).toBe(1);
    expect(c.json.status.replicas).toBe(0);
    const labeled = await t.call('PATCH', '/api/v1/namespaces/default/replicationcontrollers/gen-rc', { metadata: { labels: { x: 'y' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(labeled.json.metadata.generation).toBe(1);
    const scaled = await t.call('PATCH', '/api/v1/namespaces/default/replicationcontrollers/gen-rc/scale', { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(scaled.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=gen' } });
    const after = await t.call('GET', '/api/v1/namespaces/default/replicationcontrollers/gen-rc');
    expect(after.json.metadata.generation).toBe(2);
    const st = await t.call('PATCH', '/api/v1/namespaces/default/replicationcontrollers/gen-rc/status', { status: { replicas: 3 }, spec: { replicas: 9 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(st.json.status.replicas).toBe(3);
    expect(st.json.spec.replicas).toBe(3);
  });

  it('answers AlreadyExists, NotFound and Conflict with kube wording', async () => {
    await t.call('POST', '/api/v1/namespaces/default/pods', pod('err-pod'));
    const dup = await t.call('POST', '/api/v1/namespaces/default/pods', pod('err-pod'));
    expect(dup.code).toBe(409);
    expect(dup.json).toMatchObject({ reason: 'AlreadyExists', message: 'pods "err-pod" already exists' });
    const nf = await t.call('GET', '/api/v1/namespaces/default/pods/nosuchpod');
    expect(nf.json).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nosuchpod" not found', details: { name: 'nosuchpod', kind: 'pods' } });
    const cur = (await t.call('GET', '/api/v1/namespaces/default/pods/err-pod')).json;
    await t.call('PATCH', '/api/v1/namespaces/default/pods/err-pod', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const stale = await t.call('PUT', '/api/v1/namespaces/default/pods/err-pod', cur);
    expect(stale.code).toBe(409);
    expect(stale.json.message).toBe('Operation cannot be fulfilled on pods "err-pod": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('validates with 422 causes and strict field validation', async () => {
    const bad = await t.call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c' }] } });
    expect(bad.code).toBe(422);
    expect(bad.json.details.causes.map((c: { field: string }) => c.field)).toEqual(expect.arrayContaining(['metadata.name', 'spec.containers[0].image']));
    const strict = await t.call('POST', '/api/v1/namespaces/default/replicationcontrollers?fieldValidation=Strict', {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'strict-rc' },
      spec: { replica: 3, selector: { app: 's' }, template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    expect(strict.code).toBe(400);
    expect(strict.json.message).toContain('strict decoding error: unknown field "spec.replica"');
    const warn = await t.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { metadata: { name: 'warn-cm' }, dta: {} });
    expect(warn.code).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field \\"dta\\"');
    const mismatch = await t.call('POST', '/api/v1/namespaces/default/replicationcontrollers', {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'mm-rc' },
      spec: { selector: { app: 'a' }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    expect(mismatch.code).toBe(422);
    expect(mismatch.json.message).toMatch(/selector.? does not match template .?labels/);
  });

  it('supports dryRun=All without storing anything', async () => {
    const r = await t.call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { metadata: { name: 'dry-cm' } });
    expect(r.code).toBe(201);
    expect((await t.call('GET', '/api/v1/namespaces/default/configmaps/dry-cm')).code).toBe(404);
  });

  it('refuses content in a missing namespace', async () => {
    const r = await t.call('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } });
    expect(r.code).toBe(404);
    expect(r.json.message).toBe('namespaces "nowhere" not found');
  });
});

describe('lists, selectors, paging and tables', () => {
  beforeAll(async () => {
    await t.call('POST', '/api/v1/namespaces', ns('sel'));
    const labels: Record<string, string>[] = [{ app: 'a', env: 'prod' }, { app: 'a', env: 'devel' }, { app: 'b' }, { app: 'b', env: 'prod', creation_method: 'manual' }];
    for (const [i, l] of labels.entries()) await t.call('POST', '/api/v1/namespaces/sel/pods', unscheduled(`p${i}`, l));
  });
  const names = async (q: string) => (await t.call('GET', `/api/v1/namespaces/sel/pods?${q}`)).json.items.map((p: { metadata: { name: string } }) => p.metadata.name);

  it('filters by every label selector form', async () => {
    expect(await names('labelSelector=env%3Dprod')).toEqual(['p0', 'p3']);
    expect(await names('labelSelector=env%3D%3Dprod')).toEqual(['p0', 'p3']);
    expect(await names('labelSelector=env!%3Dprod')).toEqual(['p1', 'p2']);
    expect(await names(`labelSelector=${encodeURIComponent('env in (prod,devel)')}`)).toEqual(['p0', 'p1', 'p3']);
    expect(await names(`labelSelector=${encodeURIComponent('env notin (prod)')}`)).toEqual(['p1', 'p2']);
    expect(await names('labelSelector=creation_method')).toEqual(['p3']);
    expect(await names('labelSelector=!env')).toEqual(['p2']);
    expect(await names(`labelSelector=${encodeURIComponent('app=b,env=prod')}`)).toEqual(['p3']);
    expect((await t.call('GET', '/api/v1/namespaces/sel/pods?labelSelector=a%20b')).code).toBe(400);
  });

  it('filters by field selectors and rejects unknown fields', async () => {
    expect(await names('fieldSelector=metadata.name%3Dp2')).toEqual(['p2']);
    expect(await names('fieldSelector=status.phase%3DPending')).toEqual(['p0', 'p1', 'p2', 'p3']);
    const bad = await t.call('GET', '/api/v1/namespaces/sel/pods?fieldSelector=spec.foo%3Dx');
    expect(bad.code).toBe(400);
  });

  it('pages with limit and continue', async () => {
    const first = await t.call('GET', '/api/v1/namespaces/sel/pods?limit=3');
    expect(first.json.items).toHaveLength(3);
    expect(first.json.metadata.remainingItemCount).toBe(1);
    const rest = await t.call('GET', `/api/v1/namespaces/sel/pods?limit=3&continue=${first.json.metadata.continue}`);
    expect(rest.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['p3']);
    expect(rest.json.metadata.continue).toBeUndefined();
  });

  it('returns server-side Tables with metadata rows', async () => {
    const r = await t.call('GET', '/api/v1/namespaces/sel/pods?labelSelector=app%3Db', undefined, { Accept: TABLE_ACCEPT });
    expect(r.json.kind).toBe('Table');
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(r.json.columnDefinitions[0].format).toBe('name');
    expect(r.json.rows[0].cells.slice(0, 4)).toEqual(['p2', '0/1', 'Pending', '0']);
    expect(r.json.rows[1].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { labels: { creation_method: 'manual' } } });
    const items = (await t.call('GET', '/api/v1/namespaces/sel/pods')).json.items;
    expect(items[0].kind).toBeUndefined();
  });
});

/** a watch stream reader: collects events until `until` says stop */
function watch(path: string, until: (events: { type: string; object: { metadata: { name: string } } }[]) => boolean): Promise<{ type: string; object: { metadata: { name: string }; [k: string]: unknown } }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    const req = request(`${t.sandbox.url}${path}`, { ca: t.sandbox.credentials.caCert, headers: { Authorization: `Bearer ${t.sandbox.token}` } }, (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
        if (until(events)) {
          req.destroy();
          resolve(events as never);
        }
      });
      res.on('end', () => resolve(events as never));
    });
    req.on('error', (e) => (events.length ? resolve(events as never) : reject(e)));
    req.end();
  });
}

describe('watch', () => {
  it('replays from a resourceVersion and follows live changes, filtered by selector', async () => {
    await t.call('POST', '/api/v1/namespaces', ns('w'));
    const list = await t.call('GET', '/api/v1/namespaces/w/pods');
    const rv = list.json.metadata.resourceVersion;
    const events = watch(`/api/v1/namespaces/w/pods?watch=true&resourceVersion=${rv}&labelSelector=app%3Dw`, (ev) => ev.length >= 3);
    await t.call('POST', '/api/v1/namespaces/w/pods', unscheduled('w1', { app: 'w' }));
    await t.call('POST', '/api/v1/namespaces/w/pods', unscheduled('other', { app: 'x' }));
    await t.call('PATCH', '/api/v1/namespaces/w/pods/w1', { metadata: { labels: { extra: '1' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await t.call('PATCH', '/api/v1/namespaces/w/pods/w1', { metadata: { labels: { app: 'gone' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const got = await events;
    expect(got.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
  });

  it('sends the current state first without a resourceVersion and Tables when asked', async () => {
    const got = await new Promise<string[]>((resolve) => {
      const lines: string[] = [];
      const req = request(`${t.sandbox.url}/api/v1/namespaces/kube-system/pods?watch=true`, {
        ca: t.sandbox.credentials.caCert, headers: { Authorization: `Bearer ${t.sandbox.token}`, Accept: TABLE_ACCEPT },
      }, (res) => {
        res.on('data', (c: Buffer) => {
          lines.push(...c.toString().split('\n').filter(Boolean));
          if (lines.length >= 2) {
            req.destroy();
            resolve(lines);
          }
        });
      });
      req.end();
    });
    const [a, b] = got.map((l) => JSON.parse(l));
    expect(a.type).toBe('ADDED');
    expect(a.object.kind).toBe('Table');
    expect(a.object.columnDefinitions.length).toBe(9);
    expect(b.object.columnDefinitions).toBeNull();
  });

  it('says 410 Gone for a resourceVersion older than the history', async () => {
    const small = await startTestSandbox({});
    try {
      (small.sandbox.store as unknown as { historyStart: number }).historyStart = 1000;
      const r = await small.call('GET', '/api/v1/namespaces/default/pods?watch=true&resourceVersion=5');
      const ev = JSON.parse(r.text.trim());
      expect(ev).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    } finally {
      await small.close();
    }
  });
});

describe('deletion', () => {
  it('keeps a scheduled pod Terminating for its grace period; --force removes at once', async () => {
    // the store alone (no kubelet): the grace period ends the deletion
    const t = await startTestSandbox({ controllers: false });
    onTestFinished(() => t.close());
    await t.call('POST', '/api/v1/namespaces/default/pods', pod('grace', {}, { nodeName: 'kube-tutor-worker', terminationGracePeriodSeconds: 30 }));
    const del = await t.call('DELETE', '/api/v1/namespaces/default/pods/grace', { propagationPolicy: 'Background' });
    expect(del.code).toBe(200);
    expect(del.json.metadata.deletionTimestamp).toBe('2026-11-27T12:00:30Z');
    await t.clock.advance(29_000);
    expect((await t.call('GET', '/api/v1/namespaces/default/pods/grace')).code).toBe(200);
    await t.clock.advance(2_000);
    expect((await t.call('GET', '/api/v1/namespaces/default/pods/grace')).code).toBe(404);

    await t.call('POST', '/api/v1/namespaces/default/pods', pod('forced', {}, { nodeName: 'kube-tutor-worker' }));
    await t.call('DELETE', '/api/v1/namespaces/default/pods/forced', { gracePeriodSeconds: 0 });
    expect((await t.call('GET', '/api/v1/namespaces/default/pods/forced')).code).toBe(404);
  });

  it('deletes a namespace with its content', async () => {
    await t.call('POST', '/api/v1/namespaces', ns('doomed'));
    await t.call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'c' } });
    const del = await t.call('DELETE', '/api/v1/namespaces/doomed');
    expect(del.json.status.phase).toBe('Terminating');
    const refused = await t.call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    expect([403, 404]).toContain(refused.code);
    await t.clock.settle();
    expect((await t.call('GET', '/api/v1/namespaces/doomed')).code).toBe(404);
    expect((await t.call('GET', '/api/v1/namespaces/doomed/configmaps/c')).code).toBe(404);
  });

  it('cascades to dependents, or orphans them with propagationPolicy Orphan', async () => {
    const mk = async (name: string) => (await t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name } })).json;
    for (const policy of ['Background', 'Orphan']) {
      const owner = await mk(`owner-${policy.toLowerCase()}`);
      const ref = [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, controller: true }];
      await t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `dep-${policy.toLowerCase()}`, ownerReferences: ref } });
      await t.call('DELETE', `/api/v1/namespaces/default/configmaps/${owner.metadata.name}`, { propagationPolicy: policy });
      await t.clock.settle();
      expect((await t.call('GET', `/api/v1/namespaces/default/configmaps/${owner.metadata.name}`)).code).toBe(404);
      const dep = await t.call('GET', `/api/v1/namespaces/default/configmaps/dep-${policy.toLowerCase()}`);
      if (policy === 'Background') expect(dep.code).toBe(404);
      else {
        expect(dep.code).toBe(200);
        expect(dep.json.metadata.ownerReferences).toBeUndefined();
      }
    }
  });

  it('deletes collections by selector', async () => {
    await t.call('POST', '/api/v1/namespaces', ns('coll'));
    for (const n of ['a', 'b', 'c']) await t.call('POST', '/api/v1/namespaces/coll/configmaps', { metadata: { name: n, labels: { keep: n === 'c' ? 'yes' : 'no' } } });
    const r = await t.call('DELETE', '/api/v1/namespaces/coll/configmaps?labelSelector=keep%3Dno');
    expect(r.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b']);
    expect((await t.call('GET', '/api/v1/namespaces/coll/configmaps?labelSelector=keep')).json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c']);
  });

  it('recreates default/kubernetes after it is deleted', async () => {
    await t.call('DELETE', '/api/v1/namespaces/default/services/kubernetes');
    await t.clock.advance(2000);
    const svc = await t.call('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.code).toBe(200);
    expect(svc.json.spec.clusterIP).toBe('10.96.0.1');
  });
});

describe('patches and apply', () => {
  it('applies kubectl apply\'s strategic merge patch', async () => {
    const rc = {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'smp' },
      spec: { replicas: 1, selector: { app: 'smp' }, template: { metadata: { labels: { app: 'smp' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }, { name: 'side', image: 'busybox' }] } } },
    };
    await t.call('POST', '/api/v1/namespaces/default/replicationcontrollers', rc);
    const patch = { spec: { replicas: 2, template: { spec: { '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'side' }], containers: [{ image: 'luksa/kubia:v2', name: 'kubia' }] } } } };
    const r = await t.call('PATCH', '/api/v1/namespaces/default/replicationcontrollers/smp', patch, { 'Content-Type': 'application/strategic-merge-patch+json' });
    expect(r.code).toBe(200);
    const cs = r.json.spec.template.spec.containers;
    expect(cs.map((c: { name: string; image: string }) => `${c.name}=${c.image}`)).toEqual(['kubia=luksa/kubia:v2', 'side=busybox']);
    expect(cs[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
  });

  it('server-side applies, records managers and reports conflicts', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { a: '1' } };
    const ct = { 'Content-Type': 'application/apply-patch+yaml' };
    const created = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=kubectl&force=false', cm, ct);
    expect(created.code).toBe(201);
    expect(created.json.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply' });
    const again = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=kubectl', cm, ct);
    expect(again.json.metadata.resourceVersion).toBe(created.json.metadata.resourceVersion);
    await t.call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=other', { data: { a: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    const conflict = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=kubectl', cm, ct);
    expect(conflict.code).toBe(409);
    expect(conflict.json.message).toBe('Apply failed with 1 conflict: conflict with "other" using v1: .data.a');
    const forced = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=kubectl&force=true', cm, ct);
    expect(forced.json.data.a).toBe('1');
  });

  it('applies JSON patches', async () => {
    await t.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'jp' }, data: { a: '1' } });
    const r = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/jp', [{ op: 'replace', path: '/data/a', value: '2' }, { op: 'add', path: '/data/b', value: '3' }], { 'Content-Type': 'application/json-patch+json' });
    expect(r.json.data).toEqual({ a: '2', b: '3' });
    const bad = await t.call('PATCH', '/api/v1/namespaces/default/configmaps/jp', [{ op: 'test', path: '/data/a', value: 'x' }], { 'Content-Type': 'application/json-patch+json' });
    expect(bad.code).toBe(422);
  });
});

describe('protobuf bodies', () => {
  it('creates a namespace from kubectl 1.33\'s protobuf body', async () => {
    const hex = '6b3873000a0f0a02763112094e616d65737061636512280a200a10637573746f6d2d6e616d65737061636512001a0022002a00320038004200120' + '01a020a001a002200';
    const r = await t.call('POST', '/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict', Buffer.from(hex, 'hex'), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    expect(r.code).toBe(201);
    expect(r.json.metadata.name).toBe('custom-namespace');
    expect(r.json.status.phase).toBe('Active');
    const junk = await t.call('POST', '/api/v1/namespaces', Buffer.from('6b38730001ff', 'hex'), { 'Content-Type': 'application/vnd.kubernetes.protobuf' });
    expect(junk.code).toBe(400);
  });
});

describe('namespace housekeeping', () => {
  it('gives a new namespace its default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    await t.call('POST', '/api/v1/namespaces', ns('fresh'));
    await t.clock.settle();
    expect((await t.call('GET', '/api/v1/namespaces/fresh/serviceaccounts/default')).code).toBe(200);
    const ca = await t.call('GET', '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt');
    expect(ca.json.data['ca.crt']).toBe(t.sandbox.credentials.caCert);
  });
});

describe('side by side', () => {
  it('runs two sandboxes with different state dirs at once', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dirs = [mkdtempSync(join(tmpdir(), 'kt-a-')), mkdtempSync(join(tmpdir(), 'kt-b-'))];
    const [a, b] = await Promise.all(dirs.map((d) => startTestSandbox({ stateDir: d })));
    try {
      expect(a.sandbox.port).not.toBe(b.sandbox.port);
      expect(a.sandbox.token).not.toBe(b.sandbox.token);
      await a.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'only-a' } });
      expect((await b.call('GET', '/api/v1/namespaces/default/configmaps/only-a')).code).toBe(404);
      expect((await a.call('GET', '/api/v1/namespaces/default/configmaps/only-a', undefined, {}, { token: b.sandbox.token })).code).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
