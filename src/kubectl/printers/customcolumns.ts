/**
 * `-o custom-columns=HEADER:path,…` and `-o custom-columns-file=FILE` (kubectl 1.33 CustomColumnsPrinter).
 * Paths go through RelaxedJSONPathExpression and are evaluated with missing keys allowed; a value that
 * yields nothing prints `<none>`; several values are joined by `,`; maps/lists print in Go's %v form.
 */
import { JsonPath, JsonPathParseError, PrinterError, relaxedJsonPath, executeJsonPath } from './jsonpath.js';
import { goSprint, escapeTerminal, GET_TABWRITER } from './table.js';
import { tabwrite } from './tabwriter.js';

export interface CustomColumn {
  header: string;
  /** the jsonpath template, e.g. `{.metadata.name}` */
  fieldSpec: string;
}

/** parse the custom-columns spec (PrinterError with kubectl's message) */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new PrinterError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new PrinterError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), fieldSpec: relaxedJsonPath(part.slice(i + 1)) };
  });
}

/** parse a custom-columns-file's text: one line of headers, one line of paths */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const fields = (l: string) => l.split(/\s+/).filter((x) => x !== '');
  if (lines.length < 1 || (lines.length === 1 && lines[0] === '')) {
    throw new PrinterError('invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.');
  }
  const headers = fields(lines[0]!);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === '' && !text.endsWith('\n\n') && text.endsWith('\n'))) {
    throw new PrinterError('invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.');
  }
  const specs = fields(lines[1]!);
  if (headers.length !== specs.length) {
    throw new PrinterError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((h, i) => ({ header: h, fieldSpec: relaxedJsonPath(specs[i]!) }));
}

/**
 * Print objects (the items of the list kubectl would print, or one object) as custom columns.
 * Throws PrinterError for a bad jsonpath (`error parsing jsonpath …`).
 */
export function printCustomColumns(columns: CustomColumn[], objects: unknown[], opts: { noHeaders?: boolean } = {}): string {
  const parsers = columns.map((c) => {
    try {
      return new JsonPath(c.fieldSpec, { allowMissingKeys: true });
    } catch (e) {
      if (e instanceof JsonPathParseError) throw new PrinterError(`error parsing jsonpath ${c.fieldSpec}, ${e.message}\n`);
      throw e;
    }
  });
  let text = '';
  if (!opts.noHeaders) text += columns.map((c) => c.header).join('\t') + '\n';
  for (const obj of objects) {
    const cells = parsers.map((p) => {
      let values: unknown[][];
      try {
        values = p.findResults(obj);
      } catch (e) {
        // surfaces like kubectl's error (rare: index out of range and similar)
        executeJsonPath(p, obj);
        throw e;
      }
      const strs: string[] = [];
      if (values.length === 0 || values[0]!.length === 0) strs.push('<none>');
      for (const arr of values) for (const v of arr) strs.push(escapeTerminal(goSprint(typeof v === 'symbol' ? null : v)));
      return strs.join(',');
    });
    text += cells.join('\t') + '\n';
  }
  return tabwrite(text, GET_TABWRITER);
}
