import { describe, expect, it } from 'vitest';
import { tokenize, words } from '../../../src/kubectl/input/tokenize.js';

describe('tokenize', () => {
  it('splits on whitespace and keeps offsets', () => {
    const t = tokenize('kubectl  get po');
    expect(t.tokens.map((x) => [x.value, x.start, x.end])).toEqual([
      ['kubectl', 0, 7],
      ['get', 9, 12],
      ['po', 13, 15],
    ]);
  });
  it('handles single and double quotes, escapes and empty arguments', () => {
    expect(words(`annotate pod x mycompany.com/someannotation='foo bar'`)).toEqual(['annotate', 'pod', 'x', 'mycompany.com/someannotation=foo bar']);
    expect(words(`get po -l "env in (prod,devel)"`)).toEqual(['get', 'po', '-l', 'env in (prod,devel)']);
    expect(words(`exec x -- sh -c "echo \\"hi\\" \\$HOME"`)).toEqual(['exec', 'x', '--', 'sh', '-c', 'echo "hi" $HOME']);
    expect(words(`a\\ b c`)).toEqual(['a b', 'c']);
    const t = tokenize(`x "" y`);
    expect(t.tokens.map((x) => [x.value, x.quoted])).toEqual([['x', false], ['', true], ['y', false]]);
  });
  it('expands $VAR and ${VAR} outside single quotes', () => {
    const vars = { POD: 'kubia-abc', NS: 'team' };
    expect(words('exec $POD -n ${NS} -- echo "$POD" \'$POD\'', vars)).toEqual(['exec', 'kubia-abc', '-n', 'team', '--', 'echo', 'kubia-abc', '$POD']);
  });
  it('reports unterminated quotes and shell operators', () => {
    expect(tokenize(`get po -l 'app=kubia`).unterminated).toBe("'");
    expect(tokenize(`get po | grep kubia`).operators).toEqual([{ op: '|', start: 7 }]);
    expect(tokenize(`get po -o jsonpath='{.items[*].metadata.name}'`).operators).toEqual([]);
  });
});
