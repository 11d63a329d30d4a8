/**
 * Errors as kubectl reports them (cmdutil.CheckErr / StandardErrorMessage): what the learner sees on
 * stderr and the exit code.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
}

/** A non-2xx answer from the API server, carrying its Status. */
export class ServerError extends Error {
  /** kubectl wraps some server errors with context: `error when creating "pod.yaml": ` */
  prefix = '';
  constructor(readonly status: Status, readonly httpStatus: number) {
    super(status.message ?? `the server responded with status ${httpStatus}`);
    this.name = 'ServerError';
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
  get code(): number {
    return this.status.code ?? this.httpStatus;
  }
  /** with the wrapping context kubectl adds (`error when creating "x.yaml": …`) */
  withPrefix(prefix: string): ServerError {
    const e = new ServerError(this.status, this.httpStatus);
    e.prefix = prefix;
    return e;
  }
}

/** The server could not be reached. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly causeCode?: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** A client-side error with kubectl's message (printed as is, `error: ` added when missing). */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** the "See 'kubectl get --help' for usage." line, when kubectl prints one */
    readonly usageHint?: string,
    /** print the message as it is, without kubectl's `error: ` prefix (usage errors that carry their own) */
    readonly raw = false,
  ) {
    super(message);
    this.name = 'KubectlError';
  }
}

/** Several errors printed one per line (utilerrors.Aggregate through MultipleErrors). */
export class AggregateError2 extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join(', '));
    this.name = 'AggregateError';
  }
}

/** StandardErrorMessage for one error (no trailing newline) */
export function standardMessage(err: unknown): string {
  if (err instanceof ServerError) {
    const s = err.status;
    const text = err.prefix + (s.message ?? '');
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? 'Unauthorized'})`;
    if (s.reason) return `Error from server (${s.reason}): ${text}`;
    return `Error from server: ${text}`;
  }
  if (err instanceof ConnectionError) {
    if (err.causeCode === 'ECONNREFUSED') return `The connection to the server ${err.host} was refused - did you specify the right host or port?`;
    return `Unable to connect to the server: ${err.message}`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith('error: ') ? msg : `error: ${msg}`;
}

/** What kubectl prints to stderr for `err` (with trailing newline) and the exit code (CheckErr). */
export function formatError(err: unknown): { stderr: string; exitCode: number } {
  if (err instanceof ServerError && err.reason === 'Invalid') {
    const d = err.status.details;
    let s = 'The request is invalid';
    if (!d || (!d.kind && !d.name && !d.causes?.length)) {
      if (err.status.message) s += ': ' + err.status.message;
      return { stderr: s + '\n', exitCode: 1 };
    }
    if (d.kind || d.name) s = `The ${d.kind ?? ''} ${JSON.stringify(d.name ?? '')} is invalid`;
    else if (d.causes?.length && d.causes[0]!.field) s = `The request is invalid`;
    const causes = d.causes ?? [];
    if (!causes.length) return { stderr: s + '\n', exitCode: 1 };
    const lines = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
    if (lines.length === 1) return { stderr: `${err.prefix}${s}: ${lines[0]}\n`, exitCode: 1 };
    return { stderr: `${err.prefix}${s}: \n${lines.map((l) => `* ${l}\n`).join('')}`, exitCode: 1 };
  }
  if (err instanceof AggregateError2) {
    if (err.errors.length === 1) return formatError(err.errors[0]);
    // kubectl's MultipleErrors: API/connection errors in their standard form, others as they are (no `error: `)
    return { stderr: err.errors.map((e) => (e instanceof ServerError || e instanceof ConnectionError ? standardMessage(e) : e.message) + '\n').join(''), exitCode: 1 };
  }
  if (err instanceof KubectlError) {
    let text = err.raw ? err.message : standardMessage(err);
    if (!text.endsWith('\n')) text += '\n';
    if (err.usageHint) text += err.usageHint + '\n';
    return { stderr: text, exitCode: err.exitCode };
  }
  return { stderr: standardMessage(err) + '\n', exitCode: 1 };
}
