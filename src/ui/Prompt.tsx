/**
 * The prompt line: a visible cursor, the dim inline suggestion after it (→ takes it), the Ctrl-R
 * search form while searching, and completion candidates when Tab was ambiguous. While an
 * interactive command (`exec -it`) reads the prompt, its own prompt (`/ # `) replaces ❯; while a
 * command asks for confirmation, the question does.
 */
import { colour } from './colour.js';
import { Box, Text } from 'ink';
import type { LineState } from '../app/line-editor.js';

export function Prompt({ line, busy, suggestion, search, prefix, question }: { line: LineState; busy: boolean; suggestion?: string; search?: { query: string; match?: string }; prefix?: string; question?: string }) {
  if (question) {
    return (
      <Text>
        <Text color={colour('yellow')} bold>{question}</Text>
        {' [y/N] '}
        {line.text}
        <Text inverse> </Text>
      </Text>
    );
  }
  if (search) {
    return (
      <Text>
        <Text color={colour('yellow')}>{search.query && !search.match ? '(failed reverse-i-search)' : '(reverse-i-search)'}</Text>
        {`'${search.query}': `}
        <Text inverse>{search.match?.[0] ?? ' '}</Text>
        {search.match?.slice(1) ?? ''}
      </Text>
    );
  }
  const before = line.text.slice(0, line.cursor);
  const ghost = suggestion && line.cursor === line.text.length ? suggestion.slice(line.text.length) : '';
  const at = line.text[line.cursor] ?? (ghost ? ghost[0]! : ' ');
  const after = line.text.slice(line.cursor + 1);
  return (
    <Text>
      {prefix !== undefined ? <Text>{prefix || '» '}</Text> : <Text color={colour(busy ? 'gray' : 'green')} bold>{'❯ '}</Text>}
      {before}
      <Text inverse dimColor={!line.text[line.cursor] && !!ghost}>{at}</Text>
      {after}
      {ghost.length > 1 ? <Text dimColor>{ghost.slice(1)}</Text> : null}
      {ghost ? <Text dimColor>{'  →'}</Text> : null}
    </Text>
  );
}

export function Candidates({ items }: { items: readonly string[] }) {
  if (!items.length) return null;
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {items.map((c) => <Text key={c} color={colour('cyan')}>{c}</Text>)}
    </Box>
  );
}
