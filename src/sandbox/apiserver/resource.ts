/**
 * What the API server knows about one resource: its names, scope, subresources and the small
 * strategy that makes it behave like kube-apiserver's storage for that kind. Discovery, OpenAPI,
 * routing and Table printing are all derived from these declarations.
 */
import type { FieldError, GVK, KObject, TablePrinter } from './types.js';
import type { Clock } from '../clock.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Services the store offers strategies (allocators and the clock). */
export interface StrategyContext {
  clock: Clock;
  /** allocate/release cluster IPs and node ports (Service strategy) */
  ipam: {
    allocateClusterIP(requested?: string): string;
    releaseClusterIP(ip: string): void;
    allocateNodePort(requested?: number): number;
    releaseNodePort(port: number): void;
  };
}

/** Maps a resource to and from autoscaling/v1 Scale for its `scale` subresource. */
export interface ScaleAdapter {
  /** spec.replicas of the object */
  replicas(obj: KObject): number;
  /** status.replicas of the object */
  statusReplicas(obj: KObject): number;
  /** the label selector as a string, for Scale.status.selector */
  selector(obj: KObject): string;
  /** a copy of obj with spec.replicas set */
  withReplicas(obj: KObject, replicas: number): KObject;
}

export interface Strategy {
  /** Before validation on create: clear status, set generation, fill derived fields. May mutate. */
  prepareForCreate?(obj: KObject, ctx: StrategyContext): void;
  /** Before validation on update: keep the old status, bump generation on spec change. May mutate `obj`. */
  prepareForUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  /** Same, for writes through the status subresource (keeps the old spec). */
  prepareForStatusUpdate?(obj: KObject, old: KObject, ctx: StrategyContext): void;
  /** Kind-specific checks beyond the generic validation library. Must not mutate. */
  validate?(obj: KObject): FieldError[];
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
  /** Grace period for a delete, or 0 for immediate. Undefined means immediate (not graceful). */
  gracePeriod?(obj: KObject, requested: number | undefined): number | undefined;
  /** Admission for DELETE: throw a StatusError to refuse (protected namespaces, system classes). */
  checkDelete?(obj: KObject): void;
  /** After an object is really removed (release allocations …). */
  afterDelete?(obj: KObject, ctx: StrategyContext): void;
  /** Warnings (the `Warning` header) for a create or update. */
  warnings?(obj: KObject): string[];
}

export interface ResourceType extends GVK {
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  verbs: Verb[];
  /** sets metadata.generation = 1 on create and bumps it on spec changes */
  hasGeneration?: boolean;
  /** the status subresource exists (status is ignored on main-resource writes) */
  statusSubresource?: boolean;
  scale?: ScaleAdapter;
  strategy: Strategy;
  table: TablePrinter;
  /** deprecation warning sent as a `Warning: 299 - "..."` header on every request */
  deprecationWarning?: string;
  /** delete propagation when the request names none */
  defaultPropagation?: 'Background' | 'Orphan';
}

export function apiVersionOf(rt: GVK): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function groupVersionOf(rt: GVK): string {
  return apiVersionOf(rt);
}

/** generation bump + status split shared by every kind with a spec and a status subresource */
export function specStatusStrategy(): Strategy {
  return {
    prepareForCreate(obj) {
      delete obj.status;
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    },
    prepareForStatusUpdate(obj, old) {
      obj.spec = old.spec;
      // status writers may not change labels/annotations-independent spec fields; metadata stays as sent
    },
  };
}
