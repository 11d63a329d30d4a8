import { describe, expect, it } from 'vitest';
import { pathNodes, resourcesFor, splitExplainArg } from '../../../src/kubectl/cmd/explain.js';
import { ExplainRenderer, ExplainRenderError } from '../../../src/kubectl/explain/render.js';
import { indent, wordWrap } from '../../../src/kubectl/explain/wrap.js';
import type { ApiResource } from '../../../src/kubectl/resource/discovery.js';

describe('wordWrap', () => {
  it('breaks at spaces and drops the break space', () => {
    expect(wordWrap('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
  });
  it('keeps existing newlines and long words', () => {
    expect(wordWrap('one\ntwo three', 5)).toBe('one\ntwo\nthree');
    expect(wordWrap('x https://example.com/very/long', 10)).toBe('x\nhttps://example.com/very/long');
  });
  it('indent pads every line', () => {
    expect(indent(2, 'a\nb\n')).toBe('  a\n  b\n  ');
  });
});

const res = (p: Partial<ApiResource>): ApiResource => ({
  group: '', version: 'v1', resource: '', singular: '', kind: '', namespaced: true, verbs: [], shortNames: [], categories: [], subresources: [], preferred: true, ...p,
});
const ALL = [
  res({ resource: 'pods', singular: 'pod', kind: 'Pod', shortNames: ['po'] }),
  res({ resource: 'events', singular: 'event', kind: 'Event', shortNames: ['ev'] }),
  res({ group: 'apps', resource: 'deployments', singular: 'deployment', kind: 'Deployment', shortNames: ['deploy'] }),
  res({ group: 'events.k8s.io', resource: 'events', singular: 'event', kind: 'Event' }),
];

describe('explain arguments', () => {
  it('reads a dotted path as field nodes', () => {
    expect(pathNodes('pod.spec.containers').map((n) => n.value)).toEqual(['pod', 'spec', 'containers']);
    expect(pathNodes('pod.spec.').every((n) => n.field)).toBe(true);
    expect(pathNodes('pod.spec[0]').map((n) => n.field)).toEqual([true, true, false]);
  });
  it('matches group-qualified names by prefix', () => {
    expect(resourcesFor(ALL, 'events').map((r) => r.group)).toEqual(['', 'events.k8s.io']);
    // like kubectl, the first candidate whose name prefixes the argument wins (core events here)
    const s = splitExplainArg(ALL, 'events.events.k8s.io.note', false);
    expect([s.resource?.group, s.fields]).toEqual(['', ['events', 'k8s', 'io', 'note']]);
    const d = splitExplainArg(ALL, 'deploy.spec.strategy', false);
    expect([d.resource?.resource, d.fields]).toEqual(['deployments', ['spec', 'strategy']]);
    expect(splitExplainArg(ALL, 'nope.spec', false).resource).toBeUndefined();
    expect(() => splitExplainArg(ALL, 'pod.spec[0]', false)).toThrow('first node must be field node');
  });
});

const DOC = {
  paths: {
    '/api/v1/namespaces/{namespace}/widgets': { get: { 'x-kubernetes-group-version-kind': { group: '', kind: 'Widget', version: 'v1' } } },
  },
  components: {
    schemas: {
      'x.Widget': {
        description: 'A widget.',
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: '', kind: 'Widget', version: 'v1' }],
        properties: {
          spec: { description: 'The spec.', allOf: [{ $ref: '#/components/schemas/x.Spec' }] },
          kind: { type: 'string', description: 'Kind.' },
        },
      },
      'x.Spec': {
        description: 'Spec of a widget.',
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', description: 'How big.' },
          mode: { type: 'string', enum: ['A', 'B', 'C', 'D', 'E'], description: 'Mode.' },
          parts: { type: 'array', items: { $ref: '#/components/schemas/x.Spec' } },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
};

describe('ExplainRenderer', () => {
  const r = new ExplainRenderer(DOC);
  const gvr = { group: '', version: 'v1', resource: 'widgets' };
  it('renders a resource', () => {
    expect(r.render(gvr, [], false)).toBe(
      'KIND:       Widget\nVERSION:    v1\n\nDESCRIPTION:\n    A widget.\n    \nFIELDS:\n  kind\t<string>\n    Kind.\n\n  spec\t<Spec>\n    The spec.\n\n\n',
    );
  });
  it('renders a field with enums, required and types', () => {
    const out = r.render(gvr, ['spec'], false);
    expect(out).toContain('FIELD: spec <Spec>\n\n\nDESCRIPTION:\n    The spec.\n    Spec of a widget.\n    \nFIELDS:\n');
    expect(out).toContain('  mode\t<string>\n  enum: A, B, C, D, ....\n    Mode.\n');
    expect(out).toContain('  parts\t<[]Spec>\n    <no description>\n');
    expect(out).toContain('  size\t<integer> -required-\n');
    expect(out).toContain('  tags\t<map[string]string>\n');
    expect(r.render(gvr, ['spec', 'mode'], false)).toContain('FIELD: mode <string>\nENUM:\n    A\n    B\n    C\n    D\n    E\n\nDESCRIPTION:');
  });
  it('stops at cycles when recursive', () => {
    const out = r.render(gvr, [], true);
    expect(out).toContain('  spec\t<Spec>\n    mode\t<string>\n    enum: A, B, C, D, ....\n    parts\t<[]Spec>\n    size\t<integer> -required-\n');
  });
  it('reports a missing field after the header', () => {
    try {
      r.render(gvr, ['spec', 'nope'], false);
      expect.fail('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ExplainRenderError);
      expect((e as ExplainRenderError).message).toBe('error: field "nope" does not exist');
      expect((e as ExplainRenderError).partial).toBe('KIND:       Widget\nVERSION:    v1\n\n');
    }
  });
});

describe('ExplainRenderer descriptions', () => {
  it('adds the descriptions of array items and map values', () => {
    const doc = {
      paths: { '/api/v1/things': { get: { 'x-kubernetes-group-version-kind': { group: '', kind: 'Thing', version: 'v1' } } } },
      components: {
        schemas: {
          Thing: {
            'x-kubernetes-group-version-kind': [{ group: '', kind: 'Thing', version: 'v1' }],
            properties: { limits: { description: 'Limits.', type: 'object', additionalProperties: { $ref: '#/components/schemas/q.Quantity' } } },
          },
          'q.Quantity': { description: 'A quantity.', type: 'string' },
        },
      },
    };
    const out = new ExplainRenderer(doc).render({ group: '', version: 'v1', resource: 'things' }, ['limits'], false);
    expect(out).toBe('KIND:       Thing\nVERSION:    v1\n\nFIELD: limits <map[string]string>\n\n\nDESCRIPTION:\n    Limits.\n    A quantity.\n    \n\n');
  });
});
