/** Lease, PriorityClass and ControllerRevision Table printers (kube-apiserver 1.33 printers.go). */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/sandbox/apiserver/types.js';
import {
  controllerRevisionTable,
  generateCells,
  leaseTable,
  priorityClassTable,
  tablePrinterFor,
  tableRow,
} from '../../../src/sandbox/printers/index.js';
import { formatControllerOf } from '../../../src/sandbox/printers/controllerrevision.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const CREATED = '2025-06-01T11:55:00Z'; // 5m ago

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

describe('Lease', () => {
  it('has Name, Holder, Age columns', () => {
    const cols = tablePrinterFor('Lease').columns;
    expect(cols.map((c) => [c.name, c.type, c.format, c.priority])).toStrictEqual([
      ['Name', 'string', 'name', 0],
      ['Holder', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    expect(cols[0].description).toBe(NAME_DESCRIPTION);
    expect(cols[1].description).toBe(
      'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
    );
    expect(tablePrinterFor('Lease')).toBe(leaseTable);
  });

  it('prints the holder identity, empty when unset', () => {
    const lease: KObject = {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system', creationTimestamp: CREATED },
      spec: { holderIdentity: 'cp_1234', leaseDurationSeconds: 15 },
    };
    expect(generateCells('Lease', lease, NOW)).toStrictEqual(['kube-scheduler', 'cp_1234', '5m']);
    const free: KObject = { metadata: { name: 'free', creationTimestamp: CREATED }, spec: {} };
    expect(generateCells('Lease', free, NOW)).toStrictEqual(['free', '', '5m']);
    expect(generateCells('Lease', { metadata: { name: 'x' } }, NOW)).toStrictEqual(['x', '', '<unknown>']);
    expect(tableRow('Lease', lease, NOW)).not.toHaveProperty('conditions');
  });
});

describe('PriorityClass', () => {
  it('has Name, Value, Global-Default, Age, PreemptionPolicy columns (1.33, all priority 0)', () => {
    const cols = tablePrinterFor('PriorityClass').columns;
    expect(cols.map((c) => [c.name, c.type, c.format, c.priority])).toStrictEqual([
      ['Name', 'string', 'name', 0],
      ['Value', 'integer', '', 0],
      ['Global-Default', 'boolean', '', 0],
      ['Age', 'string', '', 0],
      ['PreemptionPolicy', 'string', '', 0],
    ]);
    expect(cols[4].description).toBe(
      'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
    );
    expect(cols[1].description).toMatch(/^value represents the integer value of this priority class\./);
    expect(cols[2].description).toMatch(/^globalDefault specifies whether this PriorityClass/);
    expect(tablePrinterFor('PriorityClass')).toBe(priorityClassTable);
  });

  const pc: KObject = {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass',
    metadata: { name: 'system-node-critical', creationTimestamp: CREATED },
    value: 2000001000, preemptionPolicy: 'PreemptLowerPriority',
    description: 'Used for system critical pods that must not be moved from their current node.',
  };

  it('prints value as an integer and globalDefault as a boolean (false when unset)', () => {
    const cells = generateCells('PriorityClass', pc, NOW);
    expect(cells).toStrictEqual(['system-node-critical', 2000001000, false, '5m', 'PreemptLowerPriority']);
  });

  it('prints a negative value, a global default and an unset policy', () => {
    const low: KObject = { metadata: { name: 'low', creationTimestamp: CREATED }, value: -10, globalDefault: true };
    expect(generateCells('PriorityClass', low, NOW)).toStrictEqual(['low', -10, true, '5m', '']);
    const never: KObject = { metadata: { name: 'never', creationTimestamp: CREATED }, preemptionPolicy: 'Never' };
    expect(generateCells('PriorityClass', never, NOW)).toStrictEqual(['never', 0, false, '5m', 'Never']);
  });

  it('adds the PreemptionPolicy cell only in a wide generation (the server is always wide)', () => {
    expect(priorityClassTable.cells(pc, NOW)).toHaveLength(5);
    expect(priorityClassTable.cells(pc, NOW, { wide: false })).toStrictEqual(['system-node-critical', 2000001000, false, '5m']);
    expect(generateCells('PriorityClass', pc, NOW, { wide: false })).toStrictEqual(['system-node-critical', 2000001000, false, '5m']);
  });
});

describe('ControllerRevision', () => {
  it('has Name, Controller, Revision, Age columns', () => {
    const cols = tablePrinterFor('ControllerRevision').columns;
    // upstream declares Revision as type "string" although the cell is an int64
    expect(cols.map((c) => [c.name, c.type, c.format, c.priority])).toStrictEqual([
      ['Name', 'string', 'name', 0],
      ['Controller', 'string', '', 0],
      ['Revision', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    expect(cols[1].description).toBe('Controller of the object');
    expect(cols[2].description).toBe('Revision indicates the revision of the state represented by Data.');
    expect(tablePrinterFor('ControllerRevision')).toBe(controllerRevisionTable);
  });

  it('prints the controller as kind.group/name and the revision as an integer', () => {
    const cr: KObject = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: {
        name: 'kube-proxy-6f4b9d7c8', namespace: 'kube-system', creationTimestamp: CREATED,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: 'u', controller: true, blockOwnerDeletion: true }],
      },
      data: {}, revision: 3,
    };
    expect(generateCells('ControllerRevision', cr, NOW)).toStrictEqual(['kube-proxy-6f4b9d7c8', 'daemonset.apps/kube-proxy', 3, '5m']);
  });

  it('formats the controller reference like formatResourceName(GroupKind)', () => {
    const ref = (r: Record<string, unknown>) => ({ ownerReferences: [r] });
    expect(formatControllerOf(ref({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', controller: true }))).toBe('statefulset.apps/web');
    expect(formatControllerOf(ref({ apiVersion: 'v1', kind: 'Node', name: 'n1', controller: true }))).toBe('node/n1');
    expect(formatControllerOf(ref({ apiVersion: 'example.com/v1', kind: 'MyThing', name: 'a', controller: true }))).toBe('mything.example.com/a');
    expect(formatControllerOf(ref({ apiVersion: '', kind: '', name: 'bare', controller: true }))).toBe('bare');
    // not a controller reference → <none>
    expect(formatControllerOf(ref({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x' }))).toBe('<none>');
    expect(formatControllerOf({})).toBe('<none>');
    expect(formatControllerOf(undefined)).toBe('<none>');
    // the first controller reference wins
    expect(formatControllerOf({
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Pod', name: 'p', controller: false },
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'first', controller: true },
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'second', controller: true },
      ],
    })).toBe('daemonset.apps/first');
  });

  it('prints <none> and revision 0 for a bare revision', () => {
    expect(generateCells('ControllerRevision', { metadata: { name: 'r', creationTimestamp: CREATED } }, NOW))
      .toStrictEqual(['r', '<none>', 0, '5m']);
  });
});

describe('server rows have one cell per column', () => {
  it.each(['Lease', 'PriorityClass', 'ControllerRevision'])('%s', (kind) => {
    const printer = tablePrinterFor(kind);
    expect(printer.cells({ metadata: { name: 'x' } }, NOW)).toHaveLength(printer.columns.length);
    for (const col of printer.columns) {
      expect(Object.keys(col)).toStrictEqual(['name', 'type', 'format', 'description', 'priority']);
    }
  });
});
