/**
 * The prompt's inline suggestion: dim text after the cursor that → accepts. Where it comes from,
 * in order: the corrected command after a typo ("did you mean"), the step's expected command shape
 * once the learner hesitates, then the newest history entry that starts with what is typed.
 * Pure functions over memory: keystrokes never wait on the cluster.
 */
import type { LineState } from './line-editor.js';

export interface SuggestionSources {
  /** the corrected line after the last command failed with a "did you mean" */
  correction?: string;
  /** the step's command shape (`kubectl run kubia --image=<image>`), offered once the learner hesitates */
  shape?: string;
  /** earlier lines, oldest first */
  history: readonly string[];
}

/** the full line suggested for what is typed (undefined: nothing to offer) */
export function inlineSuggestion(line: LineState, src: SuggestionSources): string | undefined {
  if (line.cursor !== line.text.length) return undefined;
  const typed = line.text;
  const offers = (c: string | undefined) => c !== undefined && c.length > typed.length && c.startsWith(typed);
  if (offers(src.correction)) return src.correction;
  if (offers(src.shape)) return src.shape;
  if (!typed.trim()) return undefined;
  for (let i = src.history.length - 1; i >= 0; i--) if (offers(src.history[i])) return src.history[i];
  return undefined;
}

/**
 * Accept a suggestion: the line becomes the suggestion up to its next `<placeholder>` (the part
 * the learner fills in), or all of it (also when the placeholder comes next: asked twice, take it).
 */
export function acceptSuggestion(line: LineState, suggestion: string): LineState {
  const rest = suggestion.slice(line.text.length);
  const hole = rest.indexOf('<');
  const text = line.text + (hole > 0 ? rest.slice(0, hole) : rest);
  return { text, cursor: text.length };
}
