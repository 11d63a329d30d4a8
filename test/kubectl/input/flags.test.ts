import { describe, expect, it } from 'vitest';
import { FlagError, formatGoDuration, parseFlags, parseGoDuration, type FlagSpec } from '../../../src/kubectl/input/flags.js';

const specs: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'stdin', short: 'i', type: 'bool' },
  { name: 'tty', short: 't', type: 'bool' },
  { name: 'replicas', type: 'int' },
  { name: 'label-columns', short: 'L', type: 'stringSlice' },
  { name: 'env', type: 'stringArray' },
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
];

describe('parseFlags (pflag rules)', () => {
  it('takes values in every accepted form, anywhere on the line', () => {
    const p = parseFlags(['po', '-n', 'a', 'x', '--output=wide', '-Lapp,env', '-L', 'tier', '--replicas', '3'], specs);
    expect(p.args).toEqual(['po', 'x']);
    expect(p.values).toMatchObject({ namespace: 'a', output: 'wide', 'label-columns': ['app', 'env', 'tier'], replicas: 3 });
    expect([...p.changed].sort()).toEqual(['label-columns', 'namespace', 'output', 'replicas']);
    expect(parseFlags(['-nfoo'], specs).values.namespace).toBe('foo');
    expect(parseFlags(['-n=foo'], specs).values.namespace).toBe('foo');
  });
  it('groups boolean shorthands and keeps what follows --', () => {
    const p = parseFlags(['kubia', '-it', '--', 'sh', '-c', 'ls -l'], specs);
    expect(p.values.stdin).toBe(true);
    expect(p.values.tty).toBe(true);
    expect(p.args).toEqual(['kubia']);
    expect(p.dashArgs).toEqual(['sh', '-c', 'ls -l']);
    expect(p.sawDash).toBe(true);
  });
  it('uses NoOptDefVal and repeats stringArray values', () => {
    expect(parseFlags(['--dry-run'], specs).values['dry-run']).toBe('unchanged');
    expect(parseFlags(['--dry-run=client'], specs).values['dry-run']).toBe('client');
    expect(parseFlags(['--env', 'A=1', '--env=B=2'], specs).values.env).toEqual(['A=1', 'B=2']);
  });
  it("fails with pflag's words", () => {
    const err = (argv: string[]) => {
      try {
        parseFlags(argv, specs);
      } catch (e) {
        expect(e).toBeInstanceOf(FlagError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(['--foo'])).toBe('unknown flag: --foo');
    expect(err(['-z'])).toBe("unknown shorthand flag: 'z' in -z");
    expect(err(['-n'])).toBe("flag needs an argument: 'n' in -n");
    expect(err(['--namespace'])).toBe('flag needs an argument: --namespace');
    expect(err(['--replicas=abc'])).toBe('invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(err(['--stdin=maybe'])).toBe('invalid argument "maybe" for "-i, --stdin" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  });
  it('parses Go durations', () => {
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('2h')).toBe(7_200_000);
    expect(parseGoDuration('5')).toBeUndefined();
  });
  it('prints durations as Go does', () => {
    expect(['0s', '60s', '90s', '1.5s', '500ms', '2h', '3h0m1s', '1h30m'].map((d) => formatGoDuration(parseGoDuration(d)!))).toEqual(['0s', '1m0s', '1m30s', '1.5s', '500ms', '2h0m0s', '3h0m1s', '1h30m0s']);
  });
});
