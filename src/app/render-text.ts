/** Transcript items as plain text (the `--plain` driver; also what tests read). */
import type { TranscriptItem } from '../tutor/transcript.js';
import type { Lang } from '../tutor/schema.js';

const L = {
  step: { en: 'Step', zh: '步骤' },
  changed: { en: 'Changed since the notes', zh: '与笔记相比的变化' },
  hint: { en: 'Hint', zh: '提示' },
  solution: { en: 'Solution:', zh: '答案：' },
  done: { en: 'Step done', zh: '步骤完成' },
  skipped: { en: 'Step skipped', zh: '步骤已跳过' },
  tip: { en: 'tip', zh: '建议' },
  means: { en: 'means', zh: '即' },
} as const;

export function renderText(item: TranscriptItem, lang: Lang): string {
  switch (item.type) {
    case 'lesson':
      return `== ${item.title} (${item.lessonId}) ==\n${item.summary}\n`;
    case 'step':
      return `\n[${L.step[lang]} ${item.index + 1}/${item.total}] ${item.text}\n${item.changed ? `(${L.changed[lang]}: ${item.changed})\n` : ''}`;
    case 'command':
      return `$ ${item.line}\n`;
    case 'output':
      return item.stdout + item.stderr;
    case 'kubectl-hint':
      return `${L.tip[lang]}: ${item.text}\n`;
    case 'alias':
      return `(${item.from} ${L.means[lang]} ${item.to})\n`;
    case 'hint':
      return `${L.hint[lang]} ${item.tier}/${item.tiers}: ${item.text}\n`;
    case 'solution':
      return `${L.solution[lang]}\n${item.commands.join('\n')}\n`;
    case 'check':
      return `… ${item.reason}\n`;
    case 'step-done':
      return `✓ ${item.skipped ? L.skipped[lang] : L.done[lang]}: ${item.stepId}\n${item.why ? `${item.why}\n` : ''}`;
    case 'lesson-done':
      return `Lesson complete: ${item.lessonId}\n`;
    case 'info':
      return `${item.text}\n`;
    case 'error':
      return `! ${item.text}\n`;
  }
}
