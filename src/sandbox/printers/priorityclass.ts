/** scheduling.k8s.io/v1 PriorityClass table (printers.go printPriorityClass, 1.32+). */
import type { KObject } from '../apiserver/types.js';
import { ageColumn, column, nameColumn, type GenerateOptions, type KindTablePrinter } from './columns.js';
import { int, str, translateTimestampSince } from './format.js';

/** schedulingv1.PriorityClass{}.SwaggerDoc() texts (1.33). */
export const PRIORITY_CLASS_VALUE_DESCRIPTION =
  'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.';
export const PRIORITY_CLASS_GLOBAL_DEFAULT_DESCRIPTION =
  'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.';
export const PRIORITY_CLASS_PREEMPTION_POLICY_DESCRIPTION =
  'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.';

/**
 * Since 1.32 (kubernetes#126529) the table has a fifth column, PreemptionPolicy. Its definition
 * has priority 0 (kubectl shows it without `-o wide`), but the cell is only generated when wide,
 * which kube-apiserver always is.
 */
export const priorityClassColumns = [
  nameColumn(),
  column('Value', 'integer', '', 0, PRIORITY_CLASS_VALUE_DESCRIPTION),
  column('Global-Default', 'boolean', '', 0, PRIORITY_CLASS_GLOBAL_DEFAULT_DESCRIPTION),
  ageColumn(),
  column('PreemptionPolicy', 'string', '', 0, PRIORITY_CLASS_PREEMPTION_POLICY_DESCRIPTION),
];

export const priorityClassTable: KindTablePrinter = {
  columns: priorityClassColumns,
  cells(pc: KObject, now: Date, options: GenerateOptions = {}): unknown[] {
    const cells: unknown[] = [
      str(pc.metadata?.name),
      int(pc.value),
      pc.globalDefault === true,
      translateTimestampSince(pc.metadata?.creationTimestamp, now),
    ];
    // PREEMPTIONPOLICY: '' when unset (the server defaults it to PreemptLowerPriority)
    if (options.wide ?? true) cells.push(str(pc.preemptionPolicy));
    return cells;
  },
};
