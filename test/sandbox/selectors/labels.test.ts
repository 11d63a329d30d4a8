import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../src/sandbox/apiserver/errors.js';
import { labelSelectorFromSpec, parseLabelSelector, selectorFromMap } from '../../../src/sandbox/apiserver/selectors/labels.js';

const L = (o: Record<string, string>) => o;

describe('parseLabelSelector: matching', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['creation_method=manual', L({ creation_method: 'manual' }), true],
    ['creation_method=manual', L({ creation_method: 'auto' }), false],
    ['creation_method=manual', undefined, false],
    ['env==prod', L({ env: 'prod' }), true],
    ['env!=prod', L({ env: 'devel' }), true],
    ['env!=prod', L({}), true],
    ['env!=prod', L({ env: 'prod' }), false],
    ['env in (prod,devel)', L({ env: 'devel' }), true],
    ['env in (prod,devel)', L({ env: 'qa' }), false],
    ['env in (prod,devel)', L({}), false],
    ['env notin (prod,devel)', L({ env: 'qa' }), true],
    ['env notin (prod,devel)', L({}), true],
    ['env notin (prod,devel)', L({ env: 'prod' }), false],
    ['env', L({ env: '' }), true],
    ['env', L({ app: 'x' }), false],
    ['!env', L({ app: 'x' }), true],
    ['!env', L({ env: 'x' }), false],
    ['app=pc,rel=beta', L({ app: 'pc', rel: 'beta', x: 'y' }), true],
    ['app=pc,rel=beta', L({ app: 'pc', rel: 'stable' }), false],
    ['  app = pc ,  rel  in ( beta , stable )  ', L({ app: 'pc', rel: 'stable' }), true],
    ['gen>1', L({ gen: '2' }), true],
    ['gen>1', L({ gen: '1' }), false],
    ['gen>1', L({ gen: 'x' }), false],
    ['gen<10', L({ gen: '-3' }), true],
    ['kubernetes.io/cluster-service=true', L({ 'kubernetes.io/cluster-service': 'true' }), true],
    ['', undefined, true],
    ['x=', L({ x: '' }), true],
    ['x in (in,notin)', L({ x: 'notin' }), true],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} on ${JSON.stringify(labels)} → ${want}`, () => {
      expect(parseLabelSelector(sel).matches(labels)).toBe(want);
    });
  }
});

describe('parseLabelSelector: String() form', () => {
  const cases: [string, string][] = [
    ['rel=beta,app=pc', 'app=pc,rel=beta'],
    ['env in (prod, devel)', 'env in (devel,prod)'],
    ['env notin (b,a,b)', 'env notin (a,b)'],
    ['!env', '!env'],
    ['env', 'env'],
    ['a==b', 'a==b'],
    ['a!=b', 'a!=b'],
    ['a>1,b<2', 'a>1,b<2'],
    ['', ''],
  ];
  for (const [sel, want] of cases) it(sel || '(empty)', () => expect(parseLabelSelector(sel).toString()).toBe(want));
  it('empty()', () => {
    expect(parseLabelSelector('').empty()).toBe(true);
    expect(parseLabelSelector('a').empty()).toBe(false);
  });
});

describe('parseLabelSelector: errors', () => {
  const cases: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['-a=b', 'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
    ['a=b@', 'unable to parse requirement: values[0][a]: Invalid value: "b@": a valid label must be an empty string or consist of alphanumeric characters'],
    ['a=b!', "found '!', expected: ',' or 'end of string'"],
    ['a>x', "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['a/b/c', 'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of'],
  ];
  for (const [sel, msg] of cases) {
    it(sel, () => {
      let err: unknown;
      try { parseLabelSelector(sel); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(StatusError);
      const se = err as StatusError;
      expect(se.code).toBe(400);
      expect(se.status.reason).toBe('BadRequest');
      expect(se.message.startsWith(msg) || se.message === msg, se.message).toBe(true);
    });
  }
});

describe('labelSelectorFromSpec / selectorFromMap', () => {
  it('nil selects nothing, {} selects everything', () => {
    expect(labelSelectorFromSpec(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromSpec(null).matches({})).toBe(false);
    expect(labelSelectorFromSpec(undefined).empty()).toBe(false);
    expect(labelSelectorFromSpec({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromSpec({}).empty()).toBe(true);
    expect(labelSelectorFromSpec({ matchLabels: {}, matchExpressions: [] }).matches(undefined)).toBe(true);
  });
  it('matchLabels and matchExpressions', () => {
    const s = labelSelectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'legacy', operator: 'DoesNotExist' }],
    });
    expect(s.toString()).toBe('app=web,!legacy,tier in (be,fe)');
    expect(s.matches({ app: 'web', tier: 'fe' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'fe', legacy: '1' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'qa' })).toBe(false);
  });
  it('rejects bad operators and values', () => {
    expect(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow('"Gt" is not a valid label selector operator');
    expect(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow("values set can't be empty");
    expect(() => labelSelectorFromSpec({ matchLabels: { 'b@d': 'x' } })).toThrow(/key: Invalid value: "b@d"/);
  });
  it('selectorFromMap', () => {
    expect(selectorFromMap({ run: 'kubia', app: 'x' }).toString()).toBe('app=x,run=kubia');
    expect(selectorFromMap({ app: 'x' }).matches({ app: 'x', b: 'c' })).toBe(true);
    expect(selectorFromMap({}).matches({})).toBe(true);
    expect(selectorFromMap(undefined).empty()).toBe(true);
  });
});
