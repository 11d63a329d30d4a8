/** Job table (printers.go printJob). */
import type { KObject } from '../apiserver/types.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  type KindTablePrinter,
} from './columns.js';
import {
  containersAndImages,
  findCondition,
  formatLabelSelector,
  humanDuration,
  int,
  parseTimestamp,
  str,
  translateTimestampSince,
} from './format.js';

export const jobColumns = [
  nameColumn(),
  column('Status', 'string', '', 0, 'Status of the job.'),
  column('Completions', 'string', '', 0, 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
  column('Duration', 'string', '', 0, 'Time required to complete the job.'),
  ageColumn(),
  containersColumn(),
  imagesColumn(),
  column('Selector', 'string', '', 1, 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
];

function conditionTrue(job: KObject, type: string): boolean {
  return findCondition<{ type?: string; status?: string }>(job.status?.conditions, type)?.status === 'True';
}

/** Job STATUS: Complete, Failed, Terminating, Suspended, FailureTarget, else Running. */
export function jobStatus(job: KObject): string {
  if (conditionTrue(job, 'Complete')) return 'Complete';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp != null) return 'Terminating';
  if (conditionTrue(job, 'Suspended')) return 'Suspended';
  if (conditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** Job COMPLETIONS: `succeeded/completions`, `succeeded/1 of parallelism`, or `succeeded/1`. */
export function jobCompletions(job: KObject): string {
  const succeeded = int(job.status?.succeeded);
  const completions = job.spec?.completions;
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = int(job.spec?.parallelism);
  if (parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

/** Job DURATION: '' before start, now − start while running, completion − start when done. */
export function jobDuration(job: KObject, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const completion = parseTimestamp(job.status?.completionTime);
  if (completion === undefined) return humanDuration(now.getTime() - start);
  return humanDuration(completion - start);
}

export const jobTable: KindTablePrinter = {
  columns: jobColumns,
  cells(job: KObject, now: Date): unknown[] {
    const [containers, images] = containersAndImages(job.spec?.template?.spec);
    return [
      str(job.metadata?.name),
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      translateTimestampSince(job.metadata?.creationTimestamp, now),
      containers,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};
