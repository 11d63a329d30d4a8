/** kubectl's alias effects (`k` → kubectl, `po` → pods) as transcript items */
import type { Effect } from '../kubectl/index.js';
import type { TranscriptItem } from './transcript.js';

export function computeAliasItems(effects: readonly Effect[]): TranscriptItem[] {
  const out: TranscriptItem[] = [];
  for (const e of effects) if (e.type === 'alias') out.push({ type: 'alias', from: e.from, to: e.to });
  return out;
}
