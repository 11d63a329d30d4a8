/** Whether a string is a label selector kubectl accepts (labels.Parse's grammar), checked before any request. */

const NAME = '[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY = `(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?${NAME}`;
const VALUE = `(?:${NAME})?`;
const REQUIREMENT = new RegExp(
  `^\\s*(?:!\\s*${KEY}|${KEY}(?:\\s*(?:==?|!=)\\s*${VALUE}|\\s+(?:in|notin)\\s*\\(\\s*${VALUE}(?:\\s*,\\s*${VALUE})*\\s*\\)|\\s*[<>]\\s*-?\\d+)?)\\s*$`,
);

/** `app=kubia,tier in (web, api),!canary,env=`: true; `a b`, `(x)`, `=x`: false */
export function isLabelSelector(selector: string): boolean {
  if (!selector.trim()) return true;
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return false;
  }
  parts.push(selector.slice(start));
  return depth === 0 && parts.every((p) => REQUIREMENT.test(p));
}
