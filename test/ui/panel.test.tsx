/**
 * <ClusterPanel> draws panelView's lines in a border within the width and height it was given,
 * the title set into the top border when space is tight (ink-testing-library's terminal is 100
 * columns; wider layouts are checked on panelView);
 * <LiveClusterPanel> redraws when its store publishes a new snapshot.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { emptyState, type ClusterState } from '../../src/app/panel/state.js';
import { cellWidth } from '../../src/app/panel/text.js';
import { panelView } from '../../src/app/panel/view.js';
import { ClusterPanel, LiveClusterPanel, type ClusterStore } from '../../src/ui/Panel.js';
import { lessonState } from '../app/panel/fixtures.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function loaded(parts: Partial<ClusterState>): ClusterState {
  const base = emptyState('default');
  const status = Object.fromEntries(Object.keys(base.status).map((k) => [k, 'ok'])) as ClusterState['status'];
  return { ...base, status, ...parts };
}

const rcOwner = { kind: 'ReplicationController', name: 'kubia', uid: 'rc1' };
const picture = loaded({
  nodes: [{ name: 'worker', ready: true, unschedulable: false }, { name: 'worker2', ready: true, unschedulable: false }],
  pods: [
    { name: 'kubia-53thy', uid: 'p1', node: 'worker', status: 'Running', tone: 'ok', ready: 1, containers: 1, restarts: 0, owner: rcOwner, ip: '10.244.1.2' },
    { name: 'kubia-k0xz6', uid: 'p2', node: 'worker2', status: 'ContainerCreating', tone: 'warn', ready: 0, containers: 1, restarts: 0, owner: rcOwner },
  ],
  controllers: [{ kind: 'ReplicationController', name: 'kubia', uid: 'rc1', desired: 2, ready: 1 }],
  services: [{ name: 'kubia', type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: '8080', protocol: 'TCP' }] }],
  endpointSlices: [{ name: 'kubia-x', service: 'kubia', ports: [8080], addresses: [{ ip: '10.244.1.2', ready: true }] }],
});

function frameOf(state: ClusterState, width: number, height: number, lang: 'en' | 'zh' = 'en'): string[] {
  const r = render(<ClusterPanel view={panelView(state, { width, height, lang })} />);
  const frame = plain(r.lastFrame() ?? '');
  r.unmount();
  return frame === '' ? [] : frame.split('\n');
}

describe('<ClusterPanel>', () => {
  it('draws nodes with pods, the controller with its pods and the service with its endpoints, in a border', () => {
    const lines = frameOf(picture, 80, 30);
    expect(lines[0]).toMatch(/^╭─+╮$/);
    expect(lines.at(-1)).toMatch(/^╰─+╯$/);
    const text = lines.join('\n');
    expect(text).toContain('│ Cluster · namespace default');
    expect(text).toMatch(/│ ■ worker {2}1 pod +│/);
    expect(text).toMatch(/│ {3}kubia-53thy {2}Running {12}10\.244\.1\.2 +│/);
    expect(text).toMatch(/│ {3}kubia-k0xz6 {2}ContainerCreating +│/);
    expect(text).toMatch(/│ rc\/kubia {2}1\/2 ready +│/);
    expect(text).toMatch(/│ {3}● kubia-53thy {2}● kubia-k0xz6 +│/);
    expect(text).toMatch(/│ svc\/kubia {2}ClusterIP 10\.96\.0\.20 80→8080\/TCP +│/);
    expect(text).toMatch(/│ {3}10\.244\.1\.2:8080 +│/);
  });

  for (const [width, height] of [[60, 12], [80, 8], [100, 10], [100, 4]] as const) {
    it(`keeps to ${width}×${height} cells`, () => {
      for (const lang of ['en', 'zh'] as const) {
        const lines = frameOf(picture, width, height, lang);
        expect(lines.length).toBeGreaterThan(2);
        expect(lines.length).toBeLessThanOrEqual(height);
        for (const l of lines) expect(cellWidth(l), l).toBe(width);
      }
    });
  }

  it('sets the title into the top border when space is tight (the lesson at 80×10, 60×10)', () => {
    for (const width of [80, 60]) {
      const lines = frameOf(lessonState(), width, 10);
      expect(lines[0]).toMatch(/^╭─ Cluster · namespace default ─+╮$/);
      expect(lines.at(-1)).toMatch(/^╰─+╯$/);
      expect(lines.length).toBeLessThanOrEqual(10);
      for (const l of lines) expect(cellWidth(l), l).toBe(width);
      expect(lines[1]).toMatch(/^│ ■ kube-tutor-control-plane {2}0 pods +│$/);
      expect(lines).toContainEqual(expect.stringMatching(/^│ deploy\/kubia {2}3\/3 {2}●●● +│$/));
      expect(lines).toContainEqual(expect.stringMatching(/^│ svc\/kubia {7}10\.96\.0\.16:80 → 3 endpoints +│$/));
    }
  });

  it('moves the title between the first row and the border without leaving a blank row', () => {
    const r = render(<ClusterPanel view={panelView(lessonState(), { width: 80, height: 30, lang: 'en' })} />);
    expect(plain(r.lastFrame() ?? '').split('\n')[1]).toMatch(/^│ Cluster · namespace default +│$/);
    r.rerender(<ClusterPanel view={panelView(lessonState(), { width: 80, height: 10, lang: 'en' })} />);
    const tight = plain(r.lastFrame() ?? '').split('\n');
    expect(tight[0]).toMatch(/^╭─ Cluster · namespace default ─+╮$/);
    expect(tight[1]).toMatch(/^│ ■ kube-tutor-control-plane/);
    r.rerender(<ClusterPanel view={panelView(lessonState(), { width: 80, height: 30, lang: 'en' })} />);
    expect(plain(r.lastFrame() ?? '').split('\n')[1]).toMatch(/^│ Cluster · namespace default +│$/);
    r.unmount();
  });

  it('side by side on a wide terminal', () => {
    const lines = frameOf(picture, 100, 20);
    expect(lines.some((l) => /Nodes and their pods +│ Controllers → pods/.test(l))).toBe(true);
  });

  it('draws nothing when the height leaves no room', () => {
    expect(frameOf(picture, 80, 2)).toEqual([]);
  });
});

describe('<LiveClusterPanel>', () => {
  it('redraws when the store publishes', async () => {
    let state = emptyState('default');
    const listeners = new Set<() => void>();
    const store: ClusterStore = {
      subscribe: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      getSnapshot: () => state,
    };
    const r = render(<LiveClusterPanel watch={store} width={80} height={30} lang="en" />);
    expect(plain(r.lastFrame() ?? '')).toContain('Nodes and their pods loading…');
    state = picture;
    for (const fn of listeners) fn();
    await vi.waitFor(() => expect(plain(r.lastFrame() ?? '')).toContain('rc/kubia  1/2 ready'));
    r.unmount();
    expect(listeners.size).toBe(0);
  });
});
