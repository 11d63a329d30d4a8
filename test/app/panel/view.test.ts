/**
 * panelView, pure: what it draws for nodes/pods, ownership chains and services, how it fits
 * 60/80/120/160-cell widths and small heights (columns, compact lines, "… N more" last), and how
 * it says that a section is empty, loading, forbidden or unreachable — in English and Chinese.
 * The compact form on a lesson's cluster is in compact.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fitBlocks, share, type Block } from '../../../src/app/panel/layout.js';
import { emptyState, type ClusterState } from '../../../src/app/panel/state.js';
import { cellWidth } from '../../../src/app/panel/text.js';
import { panelView } from '../../../src/app/panel/view.js';
import { ctl, draw, owner, pod, stateOf, textOf } from './fixtures.js';

/** the Deployment → ReplicaSet → 3 pods picture plus its Service */
function deploymentState(): ClusterState {
  const deploy = ctl('Deployment', 'kubia');
  const rs = ctl('ReplicaSet', 'kubia-5d8f9c7b4', { owner: owner(deploy) });
  const oldRs = ctl('ReplicaSet', 'kubia-77d5c6f9b', { owner: owner(deploy), desired: 0, ready: 0 });
  return stateOf({
    nodes: [{ name: 'worker', ready: true, unschedulable: false }, { name: 'worker2', ready: true, unschedulable: false }],
    pods: [
      pod('kubia-5d8f9c7b4-a1', { owner: owner(rs), ip: '10.244.1.2' }),
      pod('kubia-5d8f9c7b4-b2', { owner: owner(rs), node: 'worker2', ip: '10.244.2.2' }),
      pod('kubia-5d8f9c7b4-c3', { owner: owner(rs), status: 'CrashLoopBackOff', tone: 'bad', ready: 0, restarts: 4, ip: '10.244.1.3' }),
    ],
    controllers: [deploy, rs, oldRs],
    services: [{ name: 'kubia', type: 'NodePort', clusterIP: '10.96.0.12', ports: [{ port: 80, targetPort: '8080', nodePort: 30123, protocol: 'TCP' }] }],
    endpointSlices: [{
      name: 'kubia-x', service: 'kubia', ports: [8080],
      addresses: [{ ip: '10.244.2.2', ready: true }, { ip: '10.244.1.2', ready: true }, { ip: '10.244.1.3', ready: false }],
    }],
  });
}

/** a crowded namespace: 100 pods with long names over 3 nodes, several controllers and services */
function crowdedState(): ClusterState {
  const rc = ctl('ReplicationController', 'a-replication-controller-with-a-long-name', { desired: 100, ready: 97 });
  return stateOf({
    nodes: ['node-a', 'node-b', 'node-c'].map((name) => ({ name, ready: name !== 'node-c', unschedulable: name === 'node-b' })),
    pods: Array.from({ length: 100 }, (_, i) =>
      pod(`a-replication-controller-with-a-long-name-${String(i).padStart(5, 'x')}`, {
        node: ['node-a', 'node-b', 'node-c'][i % 3], owner: owner(rc), restarts: i % 7, status: i % 5 ? 'Running' : 'ImagePullBackOff', tone: i % 5 ? 'ok' : 'bad',
      })),
    controllers: [rc, ctl('DaemonSet', 'ssd-monitor', { desired: 3, ready: 2 }), ctl('Job', 'batch-job', { desired: 5, ready: 1 })],
    services: Array.from({ length: 4 }, (_, i) => ({ name: `svc-${i}`, type: 'LoadBalancer', clusterIP: `10.96.0.${i}`, externalIP: `203.0.113.${i}`, ports: [{ port: 80, targetPort: '8080', nodePort: 30000 + i, protocol: 'TCP' }] })),
    endpointSlices: Array.from({ length: 4 }, (_, i) => ({ name: `svc-${i}-x`, service: `svc-${i}`, ports: [8080], addresses: Array.from({ length: 40 }, (_, j) => ({ ip: `10.244.${i}.${j}`, ready: j % 4 !== 0 })) })),
  });
}

describe('panelView: the pictures', () => {
  it('nodes with their pods: status, restarts, pod IP; a not-ready pod in its colour', () => {
    const lines = draw(deploymentState(), 80);
    expect(lines[0]).toBe('Cluster · namespace default');
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('■ worker  2 pods')).toBeLessThan(at('kubia-5d8f9c7b4-a1  Running'));
    expect(lines.find((l) => l.includes('kubia-5d8f9c7b4-c3'))).toMatch(/^ {2}kubia-5d8f9c7b4-c3 {2}CrashLoopBackOff {2}4 restarts {2}10\.244\.1\.3$/);
    expect(at('■ worker2  1 pod')).toBeLessThan(at('kubia-5d8f9c7b4-b2  Running'));
    const view = panelView(deploymentState(), { width: 80, height: 60, lang: 'en' });
    const crash = view.lines.find((l) => textOf(l).includes('kubia-5d8f9c7b4-c3') && !textOf(l).includes('●'))!;
    expect(crash.find((s) => s.text === 'CrashLoopBackOff')?.tone).toBe('bad');
    expect(crash.find((s) => s.text.includes('restarts'))?.tone).toBe('warn');
  });

  it('controllers → pods through ownerReferences: Deployment → ReplicaSet → pods; old empty ReplicaSets left out', () => {
    const lines = draw(deploymentState(), 80);
    const i = lines.indexOf('deploy/kubia  3/3 ready');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('  rs/kubia-5d8f9c7b4  3/3 ready');
    expect(lines[i + 2]).toBe('    ● kubia-5d8f9c7b4-a1  ● kubia-5d8f9c7b4-b2  ● kubia-5d8f9c7b4-c3');
    expect(lines.join('\n')).not.toContain('kubia-77d5c6f9b');
  });

  it('CronJob → Job → pod, a ReplicationController, a controller whose owner is not watched', () => {
    const cron = ctl('CronJob', 'every-15', { desired: undefined, ready: 1, schedule: '*/15 * * * *' });
    const job = ctl('Job', 'every-15-2935', { owner: owner(cron), desired: 1, ready: 0 });
    const rc = ctl('ReplicationController', 'kubia', { desired: 3, ready: 1 });
    const orphan = ctl('ReplicaSet', 'managed-elsewhere', { owner: { kind: 'Rollout', name: 'r', uid: 'unknown' }, desired: 1, ready: 1 });
    const s = stateOf({
      controllers: [cron, job, rc, orphan],
      pods: [pod('every-15-2935-x', { owner: owner(job), status: 'ContainerCreating', tone: 'warn', ready: 0 }), pod('kubia-q', { owner: owner(rc) })],
    });
    const lines = draw(s, 70);
    const i = lines.indexOf('cronjob/every-15  */15 * * * *  1 active');
    expect(lines.slice(i, i + 3)).toEqual(['cronjob/every-15  */15 * * * *  1 active', '  job/every-15-2935  0/1 done', '    ● every-15-2935-x']);
    expect(lines).toContain('rc/kubia  1/3 ready');
    expect(lines).toContain('  ● kubia-q');
    expect(lines).toContain('rs/managed-elsewhere  1/1 ready');
    const view = panelView(s, { width: 70, height: 60, lang: 'en' });
    const counts = view.lines.flat().find((x) => x.text === '  1/3 ready');
    expect(counts?.tone).toBe('warn');
  });

  it('services → endpoints: type, cluster IP, ports, ready and not-ready addresses', () => {
    const view = panelView(deploymentState(), { width: 80, height: 60, lang: 'en' });
    const lines = view.lines.map(textOf);
    const i = lines.indexOf('svc/kubia  NodePort 10.96.0.12 80:30123→8080/TCP');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('  10.244.1.2:8080  10.244.1.3:8080  10.244.2.2:8080');
    const tones = Object.fromEntries(view.lines[i + 1]!.filter((x) => x.tone).map((x) => [x.text, x.tone]));
    expect(tones).toEqual({ '10.244.1.2:8080': 'ok', '10.244.1.3:8080': 'warn', '10.244.2.2:8080': 'ok' });
  });

  it('a LoadBalancer shows its external IP; a service without endpoints says so; ExternalName points away', () => {
    const s = stateOf({
      services: [
        { name: 'lb', type: 'LoadBalancer', clusterIP: '10.96.0.3', externalIP: '203.0.113.9', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] },
        { name: 'ext', type: 'ExternalName', externalName: 'api.example.com', ports: [] },
      ],
    });
    const lines = draw(s, 80);
    expect(lines).toContain('svc/lb  LoadBalancer 10.96.0.3 203.0.113.9 80:31000/TCP');
    expect(lines[lines.indexOf('svc/lb  LoadBalancer 10.96.0.3 203.0.113.9 80:31000/TCP') + 1]).toBe('  no endpoints');
    expect(lines.at(-1)).toBe('svc/ext  ExternalName → api.example.com');
  });

  it('unscheduled pods, a NotReady and a cordoned node', () => {
    const s = stateOf({
      nodes: [{ name: 'n1', ready: false, unschedulable: true }],
      pods: [pod('waiting', { node: undefined, status: 'Pending', tone: 'warn', ready: 0, ip: undefined })],
    });
    const lines = draw(s, 80);
    expect(lines).toContain('■ n1 NotReady SchedulingDisabled  0 pods');
    expect(lines).toContain('□ not scheduled  1 pod');
    expect(lines).toContain('  waiting  Pending');
  });
});

describe('panelView: empty, loading, forbidden, unreachable', () => {
  it('says briefly that a section is empty', () => {
    const lines = draw(stateOf({}), 60);
    expect(lines).toEqual(['Cluster · namespace default', 'Nodes and their pods', 'no nodes', 'Controllers → pods', 'none', 'Services → endpoints', 'none']);
  });
  it('marks sections still loading or not readable (RBAC), and draws nodes known only from pods', () => {
    const s = stateOf({ pods: [pod('p1', { node: 'hidden-node' })] });
    const status = { ...s.status, nodes: 'forbidden' as const, services: 'forbidden' as const, endpointslices: 'missing' as const, deployments: 'loading' as const };
    const lines = draw({ ...s, status }, 80);
    expect(lines).toContain('Nodes and their pods');
    expect(lines).toContain('■ hidden-node  1 pod');
    expect(lines).toContain('Controllers → pods loading…');
    expect(lines).toContain('Services → endpoints (no access)');
  });
  it('says in the header that the cluster is unreachable', () => {
    const lines = draw({ ...emptyState('default'), error: 'dial tcp 127.0.0.1:6443: connect: connection refused' }, 120);
    expect(lines[0]).toBe('Cluster · namespace default · unreachable, retrying: dial tcp 127.0.0.1:6443: connect: connection refused');
    expect(draw({ ...emptyState('default'), error: 'x'.repeat(200) }, 60)[0]).toMatch(/…$/);
  });
  it('speaks Chinese', () => {
    const lines = draw(deploymentState(), 80, 60, 'zh');
    expect(lines[0]).toBe('集群 · 命名空间 default');
    expect(lines).toContain('节点及其 Pod');
    expect(lines).toContain('■ worker  2 个 Pod');
    expect(lines.find((l) => l.includes('kubia-5d8f9c7b4-c3') && l.includes('CrashLoopBackOff'))).toContain('重启 4 次');
    expect(lines).toContain('deploy/kubia  3/3 就绪');
    expect(lines).toContain('服务 → 端点');
  });
});

describe('panelView: fitting the terminal', () => {
  const widths = [40, 60, 80, 99, 100, 120, 149, 150, 200];
  const heights = [2, 3, 4, 6, 10, 16, 25, 60];

  for (const lang of ['en', 'zh'] as const) {
    it(`never exceeds the width or height (${lang})`, () => {
      for (const s of [crowdedState(), deploymentState(), stateOf({})]) {
        for (const width of widths) {
          for (const height of heights) {
            const view = panelView(s, { width, height, lang });
            expect(view.width).toBe(width);
            expect(view.lines.length + 2).toBeLessThanOrEqual(Math.max(height, 2));
            for (const l of view.lines) expect(cellWidth(textOf(l)), `${width}x${height}: ${textOf(l)}`).toBeLessThanOrEqual(width - 4);
          }
        }
      }
    });
  }

  it('draws nothing when no row is left inside the border; the title moves into the border when space is tight', () => {
    expect(panelView(deploymentState(), { width: 80, height: 2, lang: 'en' }).lines).toEqual([]);
    const tiny = panelView(deploymentState(), { width: 80, height: 3, lang: 'en' });
    expect(tiny.title?.map((s) => s.text).join('')).toBe('Cluster · namespace default');
    expect(tiny.lines).toHaveLength(1);
    const roomy = panelView(deploymentState(), { width: 80, height: 60, lang: 'en' });
    expect(roomy.title).toBeUndefined();
    expect(textOf(roomy.lines[0]!)).toBe('Cluster · namespace default');
  });

  it('stacks the sections below 100 cells, side by side from 100, three columns from 150', () => {
    const narrow = draw(deploymentState(), 80);
    expect(narrow.some((l) => l.includes('│'))).toBe(false);
    expect(narrow.indexOf('Nodes and their pods')).toBeLessThan(narrow.indexOf('Controllers → pods'));
    const two = draw(deploymentState(), 120);
    expect(two[1]).toMatch(/^Nodes and their pods +│ Controllers → pods$/);
    expect(two.some((l) => /│ Services → endpoints$/.test(l))).toBe(true);
    const three = draw(deploymentState(), 160);
    expect(three[1]).toMatch(/^Nodes and their pods +│ Controllers → pods +│ Services → endpoints$/);
    expect(three.length).toBeLessThan(two.length);
  });

  it('100 pods: a compact line per node, controller and service; every pod a glyph, or counted per glyph', () => {
    const lines = draw(crowdedState(), 80, 30);
    expect(lines.length).toBeLessThanOrEqual(28);
    /** pods a line stands for: one per glyph, or the count after a glyph (●80 ✕20) */
    const podsIn = (l: string) => [...l.matchAll(/([●◐✕○◌])(\d*)/g)].reduce((n, m) => n + (m[2] ? Number(m[2]) : 1), 0);
    const nodeLines = ['node-a', 'node-b', 'node-c'].map((n) => lines.find((l) => l.startsWith(`■ ${n}`))!);
    expect(nodeLines.map(podsIn)).toEqual([34, 33, 33]);
    expect(nodeLines[0]).toMatch(/^■ node-a {2}●{27}✕{7} ↻101$/);
    expect(nodeLines[1]).toContain('SchedulingDisabled');
    expect(nodeLines[2]).toContain('NotReady');
    const rc = lines.find((l) => l.startsWith('rc/a-replication-controller-with-a-long-name'))!;
    expect(rc).toMatch(/ 97\/100 {2}●80 ✕20 ↻295$/);
    expect(lines.some((l) => /^ds\/ssd-monitor +2\/3$/.test(l))).toBe(true);
    for (let i = 0; i < 4; i++) expect(lines).toContain(`svc/svc-${i}  LoadBalancer 203.0.113.${i} 80:${30000 + i} → 30 endpoints, 10 not ready`);
    // at 60 cells the nodes switch to counts together, and the endpoint counts outlast the address
    const narrow = draw(crowdedState(), 60, 12);
    expect(narrow.filter((l) => l.startsWith('■ ')).map(podsIn)).toEqual([34, 33, 33]);
    expect(narrow.filter((l) => l.startsWith('■ ')).every((l) => /●\d+ ✕\d+/.test(l))).toBe(true);
    expect(narrow.filter((l) => l.startsWith('svc/')).every((l) => l.endsWith('→ 30 endpoints, 10 not ready'))).toBe(true);
  });

  it('cuts with "… N more" only when not even one line per thing fits, counting what it hides', () => {
    const lines = draw(crowdedState(), 80, 8);
    expect(lines.length).toBeLessThanOrEqual(6);
    const shownServices = lines.filter((l) => l.startsWith('svc/')).length;
    const hidden = lines.filter((l) => /^… \d+ more$/.test(l)).map((l) => Number(/\d+/.exec(l)![0]));
    expect(hidden.length).toBeGreaterThan(0);
    expect(shownServices + hidden.at(-1)!).toBe(4);
  });

  it('keeps the status visible at 60 cells by cutting long pod names', () => {
    const lines = draw(crowdedState(), 60, 400);
    const podLines = lines.filter((l) => l.startsWith('  a-replication'));
    expect(podLines.length).toBe(100);
    for (const l of podLines) expect(l).toMatch(/…\s+(Running|ImagePullBackOff)/);
  });
});

describe('layout helpers', () => {
  it('share: equal parts, capped by what each wants, leftovers to the first', () => {
    expect(share([10, 10, 10], 7)).toEqual([3, 2, 2]);
    expect(share([1, 10, 10], 7)).toEqual([1, 3, 3]);
    expect(share([0, 2], 5)).toEqual([0, 2]);
  });
  it('fitBlocks: heads first, then children; "… N more" counts what it hides', () => {
    const leaf = (t: string, count?: number): Block => ({ head: [{ text: t }], count });
    const blocks: Block[] = [{ head: [{ text: 'A' }], children: [leaf('a1'), leaf('a2'), leaf('a3')] }, { head: [{ text: 'B' }], children: [leaf('b1')] }];
    const more = (n: number) => [{ text: `+${n}` }];
    expect(fitBlocks(blocks, 10, more).map(textOf)).toEqual(['A', '  a1', '  a2', '  a3', 'B', '  b1']);
    expect(fitBlocks(blocks, 5, more).map(textOf)).toEqual(['A', '  a1', '  +2', 'B', '  b1']);
    expect(fitBlocks(blocks, 2, more).map(textOf)).toEqual(['A', 'B']);
    expect(fitBlocks(blocks, 1, more).map(textOf)).toEqual(['+2']);
    expect(fitBlocks([leaf('x', 4), leaf('y', 3), leaf('z', 2)], 2, more).map(textOf)).toEqual(['x', '+5']);
  });
});
