/**
 * Ctrl-R reverse history search, as pure state: the query typed so far and the newest history
 * entry containing it; Ctrl-R again steps to older matches. Enter runs the match, ← → Home End
 * take it into the editor, Esc / Ctrl-G give the line back as it was.
 */
export interface SearchState {
  query: string;
  /** index into history of the current match (undefined: none) */
  index?: number;
  /** the line being edited when the search began */
  original: string;
}

export function beginSearch(original: string): SearchState {
  return { query: '', original };
}

/** the newest entry at or before `from` containing the query */
function find(history: readonly string[], query: string, from: number): number | undefined {
  if (!query) return undefined;
  for (let i = Math.min(from, history.length - 1); i >= 0; i--) if (history[i]!.includes(query)) return i;
  return undefined;
}

/** the query changed (typed or erased): search again from the newest entry */
export function setQuery(history: readonly string[], s: SearchState, query: string): SearchState {
  return { ...s, query, index: find(history, query, history.length - 1) };
}

/** Ctrl-R again: the next older match (stays on the current one when there is none) */
export function older(history: readonly string[], s: SearchState): SearchState {
  if (s.index === undefined) return s;
  const i = find(history, s.query, s.index - 1);
  return i === undefined ? s : { ...s, index: i };
}

export function matchOf(history: readonly string[], s: SearchState): string | undefined {
  return s.index === undefined ? undefined : history[s.index];
}
