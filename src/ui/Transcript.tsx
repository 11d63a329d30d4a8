/** One component per transcript item type: the same items render-text.ts prints, with colour and structure. */
import { colour } from './colour.js';
import { Box, Text } from 'ink';
import { inlineSegments } from '../app/markdown.js';
import type { ReplItem } from '../app/repl.js';
import type { Lang } from '../tutor/schema.js';

const L = {
  step: { en: 'Step', zh: '步骤' },
  changed: { en: 'Changed since the notes', zh: '与笔记相比的变化' },
  hint: { en: 'Hint', zh: '提示' },
  solution: { en: 'Solution', zh: '答案' },
  done: { en: 'Step done', zh: '步骤完成' },
  skipped: { en: 'Step skipped', zh: '步骤已跳过' },
  why: { en: 'Why', zh: '原因' },
  tip: { en: 'tip', zh: '建议' },
  means: { en: 'means', zh: '即' },
  lessonDone: { en: 'Lesson complete', zh: '课程完成' },
} as const;

/** tutor prose with `code` and **bold** */
export function Prose({ text, color }: { text: string; color?: string }) {
  return (
    <Text color={color && colour(color)}>
      {inlineSegments(text).map((s, i) => (
        <Text key={i} color={s.code ? colour('cyan') : undefined} bold={s.bold}>{s.text}</Text>
      ))}
    </Text>
  );
}

/** verbatim command output without its final newline (Ink would draw an empty line) */
function chomp(s: string): string {
  return s.replace(/\n$/, '');
}

export function TranscriptItemView({ item, lang }: { item: ReplItem; lang: Lang }) {
  switch (item.type) {
    case 'lesson':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color={colour('cyan')}>━━ {item.title} <Text dimColor>({item.lessonId})</Text></Text>
          {item.summary ? <Prose text={item.summary} /> : null}
        </Box>
      );
    case 'step':
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold color={colour('yellow')}>{L.step[lang]} {item.index + 1}/{item.total} </Text>
            <Prose text={item.text} />
          </Text>
          {item.changed ? <Text dimColor>({L.changed[lang]}: <Prose text={item.changed} />)</Text> : null}
        </Box>
      );
    case 'command':
      return (
        <Text>
          <Text color={colour('green')} bold>$ </Text>
          <Text bold>{item.line}</Text>
        </Text>
      );
    case 'output':
      return (
        <Box flexDirection="column">
          {item.stdout ? <Text>{chomp(item.stdout)}</Text> : null}
          {item.stderr ? <Text color={colour('red')}>{chomp(item.stderr)}</Text> : null}
        </Box>
      );
    case 'stream':
      return <Text>{chomp(item.text)}</Text>;
    case 'kubectl-hint':
      return <Text dimColor>{L.tip[lang]}: {item.text}</Text>;
    case 'alias':
      return <Text dimColor>({item.from} {L.means[lang]} {item.to})</Text>;
    case 'hint':
      return (
        <Box borderStyle="round" borderColor={colour('magenta')} paddingX={1}>
          <Text>
            <Text color={colour('magenta')} bold>{L.hint[lang]} {item.tier}/{item.tiers}: </Text>
            <Prose text={item.text} />
          </Text>
        </Box>
      );
    case 'solution':
      return (
        <Box flexDirection="column" borderStyle="round" borderColor={colour('magenta')} paddingX={1}>
          <Text color={colour('magenta')} bold>{L.solution[lang]}:</Text>
          {item.commands.map((c, i) => <Text key={i} color={colour('cyan')}>{c}</Text>)}
        </Box>
      );
    case 'check':
      return item.ok
        ? <Text color={colour('green')}>✓ {item.reason}</Text>
        : <Text color={colour('yellow')}>… <Prose text={item.reason} /></Text>;
    case 'step-done':
      return (
        <Box flexDirection="column">
          <Text color={colour('green')} bold>✓ {item.skipped ? L.skipped[lang] : L.done[lang]}: {item.stepId}</Text>
          {item.why ? <Text><Text color={colour('blue')} bold>{L.why[lang]}: </Text><Prose text={item.why} /></Text> : null}
        </Box>
      );
    case 'lesson-done':
      return (
        <Box marginTop={1} borderStyle="double" borderColor={colour('green')} paddingX={1}>
          <Text color={colour('green')} bold>★ {L.lessonDone[lang]}: {item.lessonId}</Text>
        </Box>
      );
    case 'info':
      return <Prose text={item.text} />;
    case 'error':
      return <Text color={colour('red')}>! {item.text}</Text>;
  }
}
