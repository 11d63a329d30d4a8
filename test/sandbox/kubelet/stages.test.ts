import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/sandbox/controllers/context.js';
import {
  backoffNext, backoffWait, CONTAINER_STAGES, goDuration, matchStage, planStage, PROFILES,
  type ContainerFacts, type ProfileName, type StageVars,
} from '../../../src/sandbox/kubelet/stages.js';
import { parseImageRef, planStart, resolveImage } from '../../../src/sandbox/kubelet/images.js';

const dir = join(import.meta.dirname, 'fixtures');
interface Case { name: string; profile: ProfileName; facts: ContainerFacts; vars: StageVars }

describe('stages (golden)', () => {
  const cases: Case[] = JSON.parse(readFileSync(join(dir, 'stage-cases.json'), 'utf8'));
  const actual = cases.map((c) => {
    const stage = matchStage(CONTAINER_STAGES, c.facts);
    return { name: c.name, plan: stage ? planStage(stage, PROFILES[c.profile], c.vars, seededRandom(7)) : null };
  });
  if (process.env.UPDATE_GOLDEN) writeFileSync(join(dir, 'stage-plans.golden.json'), JSON.stringify(actual, null, 2) + '\n');
  const golden = JSON.parse(readFileSync(join(dir, 'stage-plans.golden.json'), 'utf8'));
  for (const [i, c] of cases.entries()) {
    it(c.name, () => expect(actual[i]).toEqual(golden[i]));
  }
});

describe('helpers', () => {
  it('formats durations like Go', () => {
    expect(goDuration(830)).toBe('830ms');
    expect(goDuration(1200)).toBe('1.2s');
    expect(goDuration(10_000)).toBe('10s');
    expect(goDuration(300_000)).toBe('5m0s');
    expect(goDuration(65_500)).toBe('1m5.5s');
  });

  it('backs off 10 s doubling to 300 s and forgets after 10 min', () => {
    let e = backoffNext(undefined, 0);
    expect(e.durationMs).toBe(10_000);
    for (let i = 0; i < 10; i++) e = backoffNext(e, 1000 * i);
    expect(e.durationMs).toBe(300_000);
    expect(backoffWait(e, e.lastUpdate + 5000, e.lastUpdate + 5000)).toBe(300_000);
    expect(backoffWait(e, e.lastUpdate + 700_000, e.lastUpdate + 700_000)).toBe(0);
    expect(backoffNext(e, e.lastUpdate + 700_000).durationMs).toBe(10_000);
  });

  it('normalises image references like containerd', () => {
    expect(parseImageRef('nginx')!.canonical).toBe('docker.io/library/nginx:latest');
    expect(parseImageRef('luksa/kubia:v2')!.canonical).toBe('docker.io/luksa/kubia:v2');
    expect(parseImageRef('registry.k8s.io/pause:3.10')!.canonical).toBe('registry.k8s.io/pause:3.10');
    expect(parseImageRef('Kubia')).toBeUndefined();
    expect(resolveImage('luksa/kubia:v3').ok).toBe(true);
    expect(resolveImage('luksa/kubia:v5').ok).toBe(false);
  });

  it('resolves entrypoint/cmd against command/args', () => {
    const img = (resolveImage('busybox') as { ok: true; image: Parameters<typeof planStart>[0] }).image;
    expect(planStart(img)).toEqual({ ok: true, program: 'shell', argv: ['sh'] });
    expect(planStart(img, undefined, ['sleep', '10'])).toEqual({ ok: true, program: 'shell', argv: ['sleep', '10'] });
    expect(planStart(img, ['foo'])).toMatchObject({ ok: false });
    const kubia = (resolveImage('luksa/kubia:v2') as { ok: true; image: Parameters<typeof planStart>[0] }).image;
    expect(planStart(kubia)).toEqual({ ok: true, program: 'kubia-v2', argv: ['node', 'app.js'] });
  });
});
