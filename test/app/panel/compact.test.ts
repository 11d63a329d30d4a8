/**
 * panelView when the full trees do not fit: the title moves into the border, and each section
 * drops to its compact form (a line per node with its pods as glyphs, a line per controller,
 * a line per service), headings go before anything is cut, nodes pack several to a line before
 * "… N more" — checked on the deployments lesson's cluster at the sizes a learner's terminal gives.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../../src/app/panel/state.js';
import { cellWidth } from '../../../src/app/panel/text.js';
import { panelView, type PanelLine } from '../../../src/app/panel/view.js';
import { ctl, draw, lessonState, owner, pod, stateOf, textOf } from './fixtures.js';

const NODES = ['kube-tutor-control-plane', 'kube-tutor-worker', 'kube-tutor-worker2', 'kube-tutor-worker3'];

/** every node, controller and service of the lesson is named somewhere in `lines` */
function expectWholePicture(lines: string[]) {
  const text = lines.join('\n');
  for (const n of NODES) expect(text).toMatch(new RegExp(`■ ${n}( |$)`, 'm'));
  expect(text).toContain('deploy/kubia');
  expect(text).toContain('svc/kubernetes');
  expect(text).toContain('svc/kubia');
  expect(text).not.toMatch(/… \d+ more/);
}

function expectWithin(state: ClusterState, width: number, height: number, lang: 'en' | 'zh' = 'en') {
  const view = panelView(state, { width, height, lang });
  expect(view.lines.length).toBeLessThanOrEqual(height - 2);
  for (const l of view.lines) expect(cellWidth(textOf(l)), textOf(l)).toBeLessThanOrEqual(width - 4);
  if (view.title) expect(cellWidth(textOf(view.title))).toBeLessThanOrEqual(width - 6);
}

/** the segment of `line` whose text is `text` */
const segment = (line: PanelLine, text: string) => line.find((s) => s.text === text);

describe('the compact form on the deployments lesson', () => {
  for (const width of [60, 80]) {
    it(`${width}×10 (8 rows inside the border, as at 80×24): a line per node, controller and service`, () => {
      const view = panelView(lessonState(), { width, height: 10, lang: 'en' });
      expect(textOf(view.title!)).toBe('Cluster · namespace default');
      expect(view.lines.map(textOf)).toEqual([
        '■ kube-tutor-control-plane  0 pods',
        '■ kube-tutor-worker         ●',
        '■ kube-tutor-worker2        ●',
        '■ kube-tutor-worker3        ●',
        'deploy/kubia  3/3  ●●●',
        'svc/kubernetes  10.96.0.1:443 → 1 endpoint',
        'svc/kubia       10.96.0.16:80 → 3 endpoints',
      ]);
      expectWithin(lessonState(), width, 10);
    });

    it(`${width}×8 (6 rows inside): the nodes pack side by side, still nothing left out`, () => {
      const lines = draw(lessonState(), width, 8);
      expect(lines.length).toBeLessThanOrEqual(6);
      expectWholePicture(lines);
      expect(lines.filter((l) => l.startsWith('■ ')).length).toBe(2);
      expect(lines).toContain('deploy/kubia  3/3  ●●●');
      expectWithin(lessonState(), width, 8);
    });
  }

  it('speaks Chinese in the compact form', () => {
    const view = panelView(lessonState(), { width: 60, height: 10, lang: 'zh' });
    expect(textOf(view.title!)).toBe('集群 · 命名空间 default');
    const lines = view.lines.map(textOf);
    expect(lines[0]).toBe('■ kube-tutor-control-plane  0 个 Pod');
    expect(lines).toContain('svc/kubia       10.96.0.16:80 → 3 个端点');
    expectWholePicture(lines);
    expectWithin(lessonState(), 60, 10, 'zh');
    expectWithin(lessonState(), 60, 8, 'zh');
  });

  it('picks per section the most detailed form that fits: headings back, services in full first', () => {
    const lines = draw(lessonState(), 80, 14);
    expect(lines).toEqual([
      'Nodes and their pods',
      '■ kube-tutor-control-plane  0 pods',
      '■ kube-tutor-worker         ●',
      '■ kube-tutor-worker2        ●',
      '■ kube-tutor-worker3        ●',
      'Controllers → pods',
      'deploy/kubia  3/3  ●●●',
      'Services → endpoints',
      'svc/kubernetes  ClusterIP 10.96.0.1 443→6443/TCP',
      '  172.18.0.2:6443',
      'svc/kubia  ClusterIP 10.96.0.16 80→8080/TCP',
      '  10.244.1.2:8080  10.244.2.2:8080  10.244.3.2:8080',
    ]);
  });

  it('everything in full with the title in the border when only the title row is missing', () => {
    const view = panelView(lessonState(), { width: 80, height: 20, lang: 'en' });
    expect(view.title).toBeDefined();
    expect(view.lines.map(textOf)).toContain('  rs/kubia-69f4f6569f  3/3 ready');
    expect(view.lines).toHaveLength(18);
    const roomy = panelView(lessonState(), { width: 80, height: 21, lang: 'en' });
    expect(roomy.title).toBeUndefined();
    expect(textOf(roomy.lines[0]!)).toBe('Cluster · namespace default');
  });
});

describe('compact lines', () => {
  it('a glyph per pod, by shape and colour: ● running and ready, ◐ starting, ✕ failing, ○ completed, ◌ terminating; ↻ restarts', () => {
    const s = stateOf({
      nodes: [{ name: 'worker', ready: true, unschedulable: false }],
      pods: [
        pod('a', { status: 'CrashLoopBackOff', tone: 'bad', ready: 0, restarts: 5 }),
        pod('b'),
        pod('c', { status: 'ContainerCreating', tone: 'warn', ready: 0 }),
        pod('d', { status: 'Running', tone: 'warn', ready: 0 }),
        pod('e', { status: 'Terminating', tone: 'warn' }),
        pod('f', { status: 'Completed', tone: 'dim', ready: 0 }),
        pod('g', { status: 'Error', tone: 'bad', ready: 0, restarts: 1 }),
      ],
    });
    const line = panelView(s, { width: 60, height: 8, lang: 'en' }).lines.find((l) => textOf(l).startsWith('■ worker'))!;
    expect(textOf(line)).toBe('■ worker  ●◐◐✕✕○◌ ↻6');
    expect(segment(line, '●')?.tone).toBe('ok');
    expect(segment(line, '◐◐')?.tone).toBe('warn');
    expect(segment(line, '✕✕')?.tone).toBe('bad');
    expect(segment(line, '○◌')?.tone).toBe('dim');
    expect(segment(line, ' ↻6')?.tone).toBe('warn');
  });

  it('a Deployment mid-rollout: its ReplicaSets folded into one line, a glyph group each', () => {
    const deploy = ctl('Deployment', 'kubia', { desired: 3, ready: 2 });
    const v2 = ctl('ReplicaSet', 'kubia-v2', { owner: owner(deploy), desired: 1, ready: 0 });
    const v1 = ctl('ReplicaSet', 'kubia-v1', { owner: owner(deploy), desired: 2, ready: 2 });
    const s = stateOf({
      controllers: [deploy, v1, v2],
      pods: [pod('kubia-v1-a', { owner: owner(v1) }), pod('kubia-v1-b', { owner: owner(v1) }), pod('kubia-v2-a', { owner: owner(v2), status: 'ContainerCreating', tone: 'warn', ready: 0 })],
    });
    const lines = draw(s, 60, 5);
    expect(lines).toContain('deploy/kubia  2/3  ●● ◐  (2 rs)');
    const line = panelView(s, { width: 60, height: 5, lang: 'en' }).lines.find((l) => textOf(l).startsWith('deploy/'))!;
    expect(segment(line, '2/3')?.tone).toBe('warn');
  });

  it('services: not-ready endpoints, node ports, none yet, ExternalName', () => {
    const s = stateOf({
      services: [
        { name: 'kubia-nodeport', type: 'NodePort', clusterIP: '10.96.0.12', ports: [{ port: 80, targetPort: '8080', nodePort: 30123, protocol: 'TCP' }] },
        { name: 'kubia', type: 'ClusterIP', clusterIP: '10.96.0.16', ports: [{ port: 80, targetPort: '8080', protocol: 'TCP' }] },
        { name: 'empty', type: 'ClusterIP', clusterIP: '10.96.0.17', ports: [{ port: 80, protocol: 'TCP' }] },
        { name: 'ext', type: 'ExternalName', externalName: 'api.example.com', ports: [] },
      ],
      endpointSlices: [
        { name: 'kubia-x', service: 'kubia', ports: [8080], addresses: [{ ip: '10.244.1.2', ready: true }, { ip: '10.244.2.2', ready: false }] },
        { name: 'kubia-nodeport-x', service: 'kubia-nodeport', ports: [8080], addresses: [{ ip: '10.244.1.2', ready: true }] },
      ],
    });
    const lines = draw(s, 80, 8).filter((l) => l.startsWith('svc/'));
    expect(lines).toEqual([
      'svc/kubia-nodeport  NodePort 10.96.0.12 80:30123 → 1 endpoint',
      'svc/kubia           10.96.0.16:80 → 1 endpoint, 1 not ready',
      'svc/empty           10.96.0.17:80 → no endpoints',
      'svc/ext             ExternalName → api.example.com',
    ]);
  });

  it('empty sections still say so in one line each when there is no room for headings', () => {
    expect(draw(stateOf({}), 60, 5)).toEqual(['Nodes and their pods  no nodes', 'Controllers → pods  none', 'Services → endpoints  none']);
    const loading = { ...stateOf({}), status: { ...stateOf({}).status, deployments: 'loading' as const } };
    expect(draw(loading, 60, 5)).toContain('Controllers → pods loading…');
  });
});
