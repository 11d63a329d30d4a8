/** core/v1 Event table (printers.go printEvent). */
import type { KObject } from '../apiserver/types.js';
import { column, nameColumn, type KindTablePrinter } from './columns.js';
import { int, parseTimestamp, str, translateTimestampSince } from './format.js';

/**
 * Column order is Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name;
 * a non-wide generation emits only the priority-0 subset (Last Seen, Type, Reason, Object, Message).
 * There is no Age column; the name-format column is the wide-only Name.
 */
export const eventColumns = [
  column('Last Seen', 'string', '', 0, 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', '', 0, 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', 'string', '', 0, 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  column('Object', 'string', '', 0, 'The object that this event is about.'),
  column('Subobject', 'string', '', 1, 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.'),
  column('Source', 'string', '', 1, 'The component reporting this event. Should be a short machine understandable string.'),
  column('Message', 'string', '', 0, 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', '', 1, 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
  column('Count', 'string', '', 1, 'The number of times this event has occurred.'),
  nameColumn(1),
];

/** SOURCE: `component` or `component, instance` (source.* first, reporting* as fallback). */
export function formatEventSource(ev: KObject): string {
  const component = str(ev.source?.component) || str(ev.reportingController);
  const instance = str(ev.source?.host) || str(ev.reportingInstance);
  return instance === '' ? component : `${component}, ${instance}`;
}

export const eventTable: KindTablePrinter = {
  columns: eventColumns,
  cells(ev: KObject, now: Date): unknown[] {
    const firstSeen =
      parseTimestamp(ev.firstTimestamp) !== undefined
        ? translateTimestampSince(ev.firstTimestamp, now)
        : translateTimestampSince(ev.eventTime, now);
    let lastSeen: string;
    if (ev.series != null) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
    } else if (parseTimestamp(ev.lastTimestamp) !== undefined) {
      lastSeen = translateTimestampSince(ev.lastTimestamp, now);
    } else {
      lastSeen = firstSeen;
    }
    let count: number;
    if (ev.series != null) {
      count = int(ev.series.count);
    } else {
      count = int(ev.count);
      if (count === 0) count = 1;
    }
    const kind = str(ev.involvedObject?.kind).toLowerCase();
    const objName = str(ev.involvedObject?.name);
    return [
      lastSeen,
      str(ev.type),
      str(ev.reason),
      objName === '' ? kind : `${kind}/${objName}`,
      str(ev.involvedObject?.fieldPath),
      formatEventSource(ev),
      str(ev.message).trim(),
      firstSeen,
      count,
      str(ev.metadata?.name),
    ];
  },
};
