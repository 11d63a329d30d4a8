/**
 * Parse `-o/--output` for `kubectl get` (kubectl 1.33) into a printer choice.
 */
import { PrinterError } from './jsonpath.js';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'name' }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'jsonpath'; template: string; asJson: boolean }
  /** the caller reads the file and passes its text as the template */
  | { kind: 'jsonpath-file'; file: string }
  | { kind: 'custom-columns'; spec: string }
  | { kind: 'custom-columns-file'; file: string }
  | { kind: 'go-template'; template: string }
  | { kind: 'go-template-file'; file: string };

/** the formats `kubectl get` accepts, in kubectl's error-message order */
export const GET_OUTPUT_FORMATS = [
  'custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath',
  'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml',
];

/**
 * `undefined`/'' → default table. Throws PrinterError with kubectl's message for unknown formats
 * (`unable to match a printer suitable for the output format "foo", allowed formats are: …`).
 */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === '') return { kind: 'table', wide: false };
  const eq = value.indexOf('=');
  const name = eq >= 0 ? value.slice(0, eq) : value;
  const arg = eq >= 0 ? value.slice(eq + 1) : '';
  switch (name) {
    case 'wide':
      if (eq < 0) return { kind: 'table', wide: true };
      break;
    case 'name':
      if (eq < 0) return { kind: 'name' };
      break;
    case 'json':
      if (eq < 0) return { kind: 'json' };
      break;
    case 'yaml':
      if (eq < 0) return { kind: 'yaml' };
      break;
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (arg === '') throw new PrinterError('template format specified but no template given');
      return { kind: 'jsonpath', template: arg, asJson: name === 'jsonpath-as-json' };
    case 'jsonpath-file':
      if (arg === '') throw new PrinterError('template format specified but no template given');
      return { kind: 'jsonpath-file', file: arg };
    case 'custom-columns':
      if (arg === '') throw new PrinterError('custom-columns format specified but no custom columns given');
      return { kind: 'custom-columns', spec: arg };
    case 'custom-columns-file':
      if (arg === '') throw new PrinterError('custom-columns format specified but no custom columns given');
      return { kind: 'custom-columns-file', file: arg };
    case 'go-template':
    case 'template':
      if (arg === '') throw new PrinterError('template format specified but no template given');
      return { kind: 'go-template', template: arg };
    case 'go-template-file':
    case 'templatefile':
      if (arg === '') throw new PrinterError('template format specified but no template given');
      return { kind: 'go-template-file', file: arg };
  }
  throw new PrinterError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${GET_OUTPUT_FORMATS.join(',')}`,
  );
}

/** what to print for go-template output, which this kubectl does not implement */
export const GO_TEMPLATE_UNSUPPORTED = 'go-template output is not supported by kube-tutor\'s kubectl; use -o jsonpath=… instead';
