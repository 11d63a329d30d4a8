/**
 * Fuzzy "did you mean" over one vocabulary at a time (verbs, resource names, object names, flags,
 * field names, kinds): fuse.js per word, plus a plain edit-distance check so short typos
 * (`pdos` → `pods`) win over loose substring matches.
 */
import Fuse from 'fuse.js';

/** optimal string alignment distance: Levenshtein plus adjacent transpositions (`pdos` → `pods` is 1) */
export function osaDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** the best candidates for `typed` among `vocabulary`, best first (at most `limit`) */
export function suggest(typed: string, vocabulary: readonly string[], limit = 3): string[] {
  const unique = [...new Set(vocabulary.filter((v) => v && v !== typed))];
  if (!typed || !unique.length) return [];
  const scored = new Map<string, number>();
  const lower = typed.toLowerCase();
  for (const v of unique) {
    const d = osaDistance(lower, v.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(lower.length, v.length) / 3));
    if (d <= allowed) scored.set(v, d / Math.max(lower.length, v.length));
  }
  const fuse = new Fuse(unique, { includeScore: true, threshold: 0.4, ignoreLocation: true, isCaseSensitive: false });
  for (const r of fuse.search(typed, { limit: limit * 2 })) {
    const s = r.score ?? 1;
    if (s > 0.4) continue;
    // a long word that merely contains a short typed one is not a typo fix
    if (r.item.length > typed.length * 2.5 && typed.length < 4) continue;
    const prev = scored.get(r.item);
    scored.set(r.item, prev === undefined ? s + 0.3 : prev);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([v]) => v);
}
