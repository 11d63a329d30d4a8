/** The prompt line with a visible cursor, and completion candidates when Tab was ambiguous. */
import { Box, Text } from 'ink';
import type { LineState } from '../app/line-editor.js';

export function Prompt({ line, busy }: { line: LineState; busy: boolean }) {
  const before = line.text.slice(0, line.cursor);
  const at = line.text[line.cursor] ?? ' ';
  const after = line.text.slice(line.cursor + 1);
  return (
    <Text>
      <Text color={busy ? 'gray' : 'green'} bold>{'❯ '}</Text>
      {before}
      <Text inverse>{at}</Text>
      {after}
    </Text>
  );
}

export function Candidates({ items }: { items: readonly string[] }) {
  if (!items.length) return null;
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {items.map((c) => <Text key={c} color="cyan">{c}</Text>)}
    </Box>
  );
}
