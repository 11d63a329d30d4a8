/** json.MarshalIndent of a Go struct: keys in the order given (the struct's field order), not sorted. */
import { goJson } from '../../printers/json.js';

export function orderedJson(v: unknown, indent = '    '): string {
  return goJson(v, indent, '', { sortKeys: false }) + '\n';
}
