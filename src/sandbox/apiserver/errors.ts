/**
 * API errors as meta/v1 Status objects, worded like k8s.io/apimachinery/pkg/api/errors so that
 * kubectl prints exactly what it prints against a real cluster.
 */
import { goFieldErrorBody, goFieldErrorString, goInvalidMessage } from '../validation/goformat.js';
import type { FieldError, Status } from './types.js';

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
  }
  get code(): number {
    return this.status.code ?? 500;
  }
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** `resource` is the qualified plural: `pods`, `deployments.apps`. */
export function qualified(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  notFound(group: string, plural: string, name: string) {
    const q = qualified(group, plural);
    return failure(404, 'NotFound', `${q} "${name}" not found`, { name, ...(group ? { group } : {}), kind: plural });
  },
  alreadyExists(group: string, plural: string, name: string) {
    const q = qualified(group, plural);
    return failure(409, 'AlreadyExists', `${q} "${name}" already exists`, { name, ...(group ? { group } : {}), kind: plural });
  },
  conflict(group: string, plural: string, name: string, detail = 'the object has been modified; please apply your changes to the latest version and try again') {
    const q = qualified(group, plural);
    return failure(409, 'Conflict', `Operation cannot be fulfilled on ${q} "${name}": ${detail}`, {
      name, ...(group ? { group } : {}), kind: plural,
    });
  },
  /** 422 with causes; kind is the Kind (`Pod`), group its API group. */
  invalid(group: string, kind: string, name: string, errs: FieldError[]) {
    const causes = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
    return failure(422, 'Invalid', goInvalidMessage(group, kind, name, errs), {
      name, ...(group ? { group } : {}), kind, causes,
    });
  },
  badRequest(message: string) {
    return failure(400, 'BadRequest', message);
  },
  unauthorized() {
    return failure(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(group: string, plural: string, name: string, detail: string) {
    const q = qualified(group, plural);
    return failure(403, 'Forbidden', `${q} "${name}" is forbidden: ${detail}`, { name, ...(group ? { group } : {}), kind: plural });
  },
  methodNotSupported(group: string, plural: string, verb: string) {
    const q = qualified(group, plural);
    return failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${q}"`, {
      ...(group ? { group } : {}), kind: plural,
    });
  },
  notAcceptable(message: string) {
    return failure(406, 'NotAcceptable', message);
  },
  gone(message: string) {
    return failure(410, 'Expired', message);
  },
  tooLarge(message = 'Request entity too large: limit is 3145728') {
    return failure(413, 'RequestEntityTooLarge', message);
  },
  unsupportedMediaType(contentType: string) {
    return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  },
  /** 404 for an URL that names no resource (kube-apiserver's generic not found page). */
  pathNotFound() {
    return failure(404, 'NotFound', 'the server could not find the requested resource', {});
  },
  methodNotAllowed() {
    return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  },
  internal(message: string) {
    return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  },
  timeout(message: string) {
    return failure(504, 'Timeout', message);
  },
};

/** The message of a cause: field.Error.ErrorBody(), with Go's rendering of the bad value. */
export const fieldErrorBody: (e: FieldError) => string = goFieldErrorBody;

/** field.Error.Error(): `spec.containers[0].image: Required value`. */
export const fieldErrorString: (e: FieldError) => string = goFieldErrorString;

/** Convenience constructors mirroring field.Required / field.Invalid / … */
export const field = {
  required: (path: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: path, detail: detail || undefined }),
  invalid: (path: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field: path, badValue: value, detail: detail || undefined }),
  notSupported: (path: string, value: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported', field: path, badValue: value,
    detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : undefined,
  }),
  forbidden: (path: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: path, detail }),
  duplicate: (path: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: path, badValue: value }),
  tooLong: (path: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field: path, detail: `may not be more than ${max} bytes` }),
};
