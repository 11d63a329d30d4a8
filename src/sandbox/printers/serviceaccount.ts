/** ServiceAccount table (printers.go printServiceAccount). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type KindTablePrinter } from './columns.js';
import { count, str, translateTimestampSince } from './format.js';

export const serviceAccountColumns = [
  nameColumn(),
  column('Secrets', 'string', '', 0, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'),
  ageColumn(),
];

export const serviceAccountTable: KindTablePrinter = {
  columns: serviceAccountColumns,
  cells(sa: KObject, now: Date): unknown[] {
    return [
      str(sa.metadata?.name),
      count(sa.secrets),
      translateTimestampSince(sa.metadata?.creationTimestamp, now),
    ];
  },
};
