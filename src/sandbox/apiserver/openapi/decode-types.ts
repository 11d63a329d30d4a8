/**
 * JSON type errors of kube-apiserver's body decoding, reproduced from the OpenAPI schemas.
 *
 * kube-apiserver decodes a request body into the kind's Go struct with sigs.k8s.io/json (a fork of
 * Go's encoding/json whose error types are aliases of the standard library's). A JSON value of the
 * wrong type fails decoding with a 400 BadRequest before validation runs:
 *
 *   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct
 *   field PodSpec.spec.containers of type []v1.Container
 *
 * Behaviour reproduced (sigs.k8s.io/json internal/golang/encoding/json/decode.go, the Go ≥1.20
 * `UnmarshalTypeError`):
 *   - `Go struct field <S>.<F>`: S is the Go struct that declares the field (embedded structs are
 *     flattened: `kind` of a Pod is `Pod.kind`), F the dotted JSON names from the root, without
 *     list indexes or map keys (`ContainerPort.spec.containers.ports.containerPort`,
 *     `ObjectMeta.metadata.labels`).
 *   - the JSON value is `object`, `array`, `string`, `bool`, `number`, or `number <text>` when a
 *     number does not parse as / overflows the integer type (`number 1.5`, `number 3000000000`).
 *   - the Go type is reflect's `Type.String()`: `int32`, `int64`, `bool`, `string`, `[]uint8`,
 *     `map[string]string`, `[]v1.Container`, `v1.PodSpec`, `v1.ResourceList`, named string types
 *     such as `v1.RestartPolicy` (see NAMED), …
 *   - type errors are saved and decoding goes on: the first one in document order wins. Errors
 *     returned by a custom UnmarshalJSON (IntOrString, Quantity, Time, MicroTime) abort decoding
 *     at once and so win over an earlier saved type error.
 *   - IntOrString: a JSON string is the string form; anything else is decoded into an int32 by
 *     encoding/json (`... of type int32`). Quantity: strings and numbers are parsed with
 *     resource.ParseQuantity; anything else fails its format check. Time / MicroTime decode a
 *     string first (`... of type string`). null is accepted everywhere (zero value).
 *
 * Not reproduced: the content of strings (time formats, base64 of `[]byte` fields: see
 * validation's decodeError), duplicate keys (JSON.parse drops them) and the root `apiVersion` /
 * `kind`, which the server reads before decoding (a different error).
 */
import type { GVK } from '../types.js';
import { parseQuantity, quantityFormatError } from '../../validation/quantity.js';
import { openapiSchemas, schemaNameFor, type Schema } from './index.js';

const REF_PREFIX = '#/components/schemas/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

const enum K {
  Any, // interface{}, RawExtension, FieldsV1: anything goes
  String,
  Int,
  Float,
  Bool,
  Bytes, // []byte: a base64 string or an array of uint8
  Struct,
  Slice,
  Map,
  IntOrString,
  Quantity,
  Time, // metav1.Time / MicroTime: UnmarshalJSON decodes a string first
}

interface Node {
  k: K;
  /** Go type as reflect prints it */
  go: string;
  /** Int: bounds */
  min?: number;
  max?: number;
  /** Struct: short Go type name (`PodSpec`) and fields by exact JSON name */
  struct?: string;
  props?: Map<string, Node>;
  /** Slice / Map element */
  elem?: Node;
}

/**
 * Named Go types of fields the schemas describe as plain strings (enums and a few others), keyed
 * by `<Struct>.<json field>`; for lists the slice type. From k8s.io/api and apimachinery v0.33.
 */
const NAMED: Record<string, string> = {
  // apps/v1
  'DaemonSetUpdateStrategy.type': 'v1.DaemonSetUpdateStrategyType',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'StatefulSetSpec.podManagementPolicy': 'v1.PodManagementPolicyType',
  'StatefulSetUpdateStrategy.type': 'v1.StatefulSetUpdateStrategyType',
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted': 'v1.PersistentVolumeClaimRetentionPolicyType',
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled': 'v1.PersistentVolumeClaimRetentionPolicyType',
  // batch/v1
  'CronJobSpec.concurrencyPolicy': 'v1.ConcurrencyPolicy',
  'JobSpec.completionMode': 'v1.CompletionMode',
  'JobSpec.podReplacementPolicy': 'v1.PodReplacementPolicy',
  'PodFailurePolicyOnExitCodesRequirement.operator': 'v1.PodFailurePolicyOnExitCodesOperator',
  'PodFailurePolicyRule.action': 'v1.PodFailurePolicyAction',
  'PodFailurePolicyOnPodConditionsPattern.type': 'v1.PodConditionType',
  'PodFailurePolicyOnPodConditionsPattern.status': 'v1.ConditionStatus',
  // core/v1
  'AppArmorProfile.type': 'v1.AppArmorProfileType',
  'AzureDiskVolumeSource.cachingMode': 'v1.AzureDataDiskCachingMode',
  'AzureDiskVolumeSource.kind': 'v1.AzureDataDiskKind',
  'Capabilities.add': '[]v1.Capability',
  'Capabilities.drop': '[]v1.Capability',
  'Container.imagePullPolicy': 'v1.PullPolicy',
  'Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'EphemeralContainer.imagePullPolicy': 'v1.PullPolicy',
  'EphemeralContainer.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'EphemeralContainer.restartPolicy': 'v1.ContainerRestartPolicy',
  'ContainerResizePolicy.resourceName': 'v1.ResourceName',
  'ContainerResizePolicy.restartPolicy': 'v1.ResourceResizeRestartPolicy',
  'ContainerPort.protocol': 'v1.Protocol',
  'EndpointPort.protocol': 'v1.Protocol',
  'ServicePort.protocol': 'v1.Protocol',
  'PortStatus.protocol': 'v1.Protocol',
  'NetworkPolicyPort.protocol': 'v1.Protocol',
  'IngressPortStatus.protocol': 'v1.Protocol',
  'ContainerStatus.stopSignal': 'v1.Signal',
  'Lifecycle.stopSignal': 'v1.Signal',
  'EmptyDirVolumeSource.medium': 'v1.StorageMedium',
  'HTTPGetAction.scheme': 'v1.URIScheme',
  'HostPathVolumeSource.type': 'v1.HostPathType',
  'ImageVolumeSource.pullPolicy': 'v1.PullPolicy',
  'LimitRangeItem.type': 'v1.LimitType',
  'LoadBalancerIngress.ipMode': 'v1.LoadBalancerIPMode',
  'ModifyVolumeStatus.status': 'v1.PersistentVolumeClaimModifyVolumeStatus',
  'NamespaceSpec.finalizers': '[]v1.FinalizerName',
  'NamespaceStatus.phase': 'v1.NamespacePhase',
  'NodeAddress.type': 'v1.NodeAddressType',
  'NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'NodeStatus.phase': 'v1.NodePhase',
  'PersistentVolumeClaimSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'PersistentVolumeClaimSpec.volumeMode': 'v1.PersistentVolumeMode',
  'PersistentVolumeClaimStatus.accessModes': '[]v1.PersistentVolumeAccessMode',
  'PersistentVolumeClaimStatus.phase': 'v1.PersistentVolumeClaimPhase',
  'PersistentVolumeSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'PersistentVolumeSpec.persistentVolumeReclaimPolicy': 'v1.PersistentVolumeReclaimPolicy',
  'PersistentVolumeSpec.volumeMode': 'v1.PersistentVolumeMode',
  'PersistentVolumeStatus.phase': 'v1.PersistentVolumePhase',
  'PodOS.name': 'v1.OSName',
  'PodSecurityContext.fsGroupChangePolicy': 'v1.PodFSGroupChangePolicy',
  'PodSecurityContext.supplementalGroupsPolicy': 'v1.SupplementalGroupsPolicy',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodStatus.phase': 'v1.PodPhase',
  'PodStatus.qosClass': 'v1.PodQOSClass',
  'ResourceQuotaSpec.scopes': '[]v1.ResourceQuotaScope',
  'ScopedResourceSelectorRequirement.operator': 'v1.ScopeSelectorOperator',
  'ScopedResourceSelectorRequirement.scopeName': 'v1.ResourceQuotaScope',
  'SeccompProfile.type': 'v1.SeccompProfileType',
  'Secret.type': 'v1.SecretType',
  'SecurityContext.procMount': 'v1.ProcMountType',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.type': 'v1.ServiceType',
  'Taint.effect': 'v1.TaintEffect',
  'Toleration.effect': 'v1.TaintEffect',
  'Toleration.operator': 'v1.TolerationOperator',
  'TopologySpreadConstraint.nodeAffinityPolicy': 'v1.NodeInclusionPolicy',
  'TopologySpreadConstraint.nodeTaintsPolicy': 'v1.NodeInclusionPolicy',
  'TopologySpreadConstraint.whenUnsatisfiable': 'v1.UnsatisfiableConstraintAction',
  'VolumeMount.mountPropagation': 'v1.MountPropagationMode',
  'VolumeMount.recursiveReadOnly': 'v1.RecursiveReadOnlyMode',
  'ResourceMetricSource.name': 'v1.ResourceName',
  'ContainerResourceMetricSource.name': 'v1.ResourceName',
  'ResourceMetricStatus.name': 'v1.ResourceName',
  'ContainerResourceMetricStatus.name': 'v1.ResourceName',
  // meta/v1
  'ObjectMeta.uid': 'types.UID',
  'OwnerReference.uid': 'types.UID',
  'ObjectReference.uid': 'types.UID',
  'Preconditions.uid': 'types.UID',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'ManagedFieldsEntry.operation': 'v1.ManagedFieldsOperationType',
  'Condition.status': 'v1.ConditionStatus',
  // autoscaling/v2
  'MetricSpec.type': 'v2.MetricSourceType',
  'MetricStatus.type': 'v2.MetricSourceType',
  'MetricTarget.type': 'v2.MetricTargetType',
  'HPAScalingRules.selectPolicy': 'v2.ScalingPolicySelect',
  'HPAScalingPolicy.type': 'v2.HPAScalingPolicyType',
  // certificates/v1
  'CertificateSigningRequestSpec.usages': '[]v1.KeyUsage',
  'CertificateSigningRequestCondition.type': 'v1.RequestConditionType',
  // discovery/v1, networking/v1, policy/v1, storage/v1, scheduling/v1
  'EndpointSlice.addressType': 'v1.AddressType',
  'HTTPIngressPath.pathType': 'v1.PathType',
  'NetworkPolicySpec.policyTypes': '[]v1.PolicyType',
  'PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': 'v1.UnhealthyPodEvictionPolicyType',
  'StorageClass.reclaimPolicy': 'v1.PersistentVolumeReclaimPolicy',
  'StorageClass.volumeBindingMode': 'v1.VolumeBindingMode',
  'CSIDriverSpec.fsGroupPolicy': 'v1.FSGroupPolicy',
  'CSIDriverSpec.volumeLifecycleModes': '[]v1.VolumeLifecycleMode',
  'PriorityClass.preemptionPolicy': 'v1.PreemptionPolicy',
};

/** Go types of map fields the generic rule gets wrong (map type, element type). */
const NAMED_MAPS: Record<string, [string, string]> = {
  'PersistentVolumeClaimStatus.allocatedResourceStatuses': [
    'map[v1.ResourceName]v1.ClaimResourceStatus',
    'v1.ClaimResourceStatus',
  ],
  'CertificateSigningRequestSpec.extra': ['map[string]v1.ExtraValue', 'v1.ExtraValue'],
};

// ---------------------------------------------------------------------------------------------
// schema → node compilation (lazy, cached per component schema)

const ANY: Node = { k: K.Any, go: 'interface {}' };
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775808; // 2^63: JS cannot tell 2^63-1 from 2^63, accept both

let schemasRef: Readonly<Record<string, Schema>> | undefined;
const structCache = new Map<string, Node>();
const rootCache = new Map<string, Node | null>();

function schemas(): Readonly<Record<string, Schema>> {
  const s = openapiSchemas();
  if (s !== schemasRef) {
    // the data was (re)loaded or replaced: drop compiled nodes
    schemasRef = s;
    structCache.clear();
    rootCache.clear();
  }
  return s;
}

function refOf(s: Schema): string | undefined {
  if (s.$ref) return s.$ref.startsWith(REF_PREFIX) ? s.$ref.slice(REF_PREFIX.length) : undefined;
  if (s.allOf && s.allOf.length === 1 && s.allOf[0].$ref?.startsWith(REF_PREFIX)) {
    return s.allOf[0].$ref.slice(REF_PREFIX.length);
  }
  return undefined;
}

/** `io.k8s.api.core.v1.PodSpec` → [`v1`, `PodSpec`] */
function goName(schemaName: string): [pkg: string, type: string] {
  const parts = schemaName.split('.');
  return [parts[parts.length - 2] ?? '', parts[parts.length - 1]];
}

function intNode(format: string | undefined, go?: string): Node {
  if (format === 'int32') return { k: K.Int, go: go ?? 'int32', min: INT32_MIN, max: INT32_MAX };
  return { k: K.Int, go: go ?? (format === 'int64' ? 'int64' : 'int'), min: -INT64_LIMIT, max: INT64_LIMIT };
}

/** Node for the component schema `name` (a struct or one of the special apimachinery types). */
function namedNode(name: string): Node {
  const cached = structCache.get(name);
  if (cached) return cached;
  const [pkg, type] = goName(name);
  const go = `${pkg}.${type}`;
  let node: Node;
  if (name === QUANTITY) node = { k: K.Quantity, go };
  else if (name === INT_OR_STRING) node = { k: K.IntOrString, go };
  else if (name === TIME || name === MICRO_TIME) node = { k: K.Time, go };
  else {
    const s = schemas()[name];
    if (!s) node = ANY;
    else if (s.properties) {
      // register before compiling the fields: schemas may be recursive
      node = { k: K.Struct, go, struct: type, props: new Map() };
      structCache.set(name, node);
      for (const [field, p] of Object.entries(s.properties)) {
        node.props!.set(field, fieldNode(p, type, field));
      }
      return node;
    } else node = valueNode(s, undefined, undefined);
  }
  structCache.set(name, node);
  return node;
}

/** Node of a struct field, applying the named-type tables. */
function fieldNode(p: Schema, struct: string, field: string): Node {
  const key = `${struct}.${field}`;
  const m = NAMED_MAPS[key];
  if (m) {
    const n = valueNode(p, undefined, undefined);
    if (n.k === K.Map && n.elem) return { k: K.Map, go: m[0], elem: { ...n.elem, go: m[1] } };
    return n;
  }
  let named = NAMED[key];
  if (!named && struct.endsWith('Condition')) {
    if (field === 'status') named = 'v1.ConditionStatus';
    else if (field === 'type' && struct !== 'Condition') named = `${conditionPkg(struct)}.${struct}Type`;
  }
  return valueNode(p, named, named?.startsWith('[]') ? named.slice(2) : undefined);
}

/** Package of the Go type `<struct>Type` for `<struct>.type` of a *Condition struct. */
function conditionPkg(struct: string): string {
  return struct === 'HorizontalPodAutoscalerCondition' ? 'v2' : 'v1';
}

/**
 * Node of a value schema. `named` replaces the Go type name of a string field (or of a list of
 * strings, then `namedElem` names the elements).
 */
function valueNode(s: Schema, named: string | undefined, namedElem: string | undefined): Node {
  const ref = refOf(s);
  if (ref) return namedNode(ref);
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return ANY;
  if (s['x-kubernetes-int-or-string'] === true) return { k: K.IntOrString, go: 'intstr.IntOrString' };
  switch (s.type) {
    case 'string':
      if (s.format === 'byte') return { k: K.Bytes, go: '[]uint8' };
      return { k: K.String, go: named ?? 'string' };
    case 'integer':
      return intNode(s.format, named);
    case 'number':
      return { k: K.Float, go: s.format === 'float' ? 'float32' : 'float64' };
    case 'boolean':
      return { k: K.Bool, go: 'bool' };
    case 'array': {
      const elem = s.items ? valueNode(s.items, namedElem, undefined) : ANY;
      return { k: K.Slice, go: named ?? `[]${elem.go}`, elem };
    }
    case 'object': {
      const ap = s.additionalProperties;
      if (ap && typeof ap === 'object') {
        const elem = valueNode(ap, undefined, undefined);
        const go = elem.k === K.Quantity ? 'v1.ResourceList' : `map[string]${elem.go}`;
        return { k: K.Map, go, elem };
      }
      return ANY;
    }
    default:
      return ANY;
  }
}

function rootNode(gvk: GVK): Node | undefined {
  schemas();
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  let n = rootCache.get(key);
  if (n === undefined) {
    const name = schemaNameFor(gvk);
    n = name ? namedNode(name) : null;
    if (n && n.k !== K.Struct) n = null;
    rootCache.set(key, n);
  }
  return n ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// walk

/** JSON field names from the root (Go's errorContext.FieldStack); reused between calls */
const stack: string[] = [];
let depth = 0;
/** first saved error (Go's d.savedError) */
let saved: string | undefined;
/** error returned by an UnmarshalJSON: aborts the walk */
let hard: string | undefined;

const MAX_DEPTH = 10000; // Go's scanner nesting limit

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** The number as Go's encoding/json (and so kubectl) writes a float64 / int64 — the same as JS. */
function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function typeError(value: string, struct: string, go: string): string {
  let field = '';
  for (let i = 0; i < depth; i++) field = i === 0 ? stack[0] : `${field}.${stack[i]}`;
  return `json: cannot unmarshal ${value} into Go struct field ${struct}.${field} of type ${go}`;
}

function save(value: string, struct: string, go: string): void {
  if (saved === undefined) saved = typeError(value, struct, go);
}

function intOK(n: number, node: Node): boolean {
  return Number.isInteger(n) && n >= node.min! && n <= node.max!;
}

/** Decode `v` into `node`; `struct` is the Go struct whose field is being decoded. */
function walk(node: Node, v: unknown, struct: string): void {
  if (v === null || v === undefined || hard !== undefined) return;
  switch (node.k) {
    case K.Any:
      return;
    case K.String:
      if (typeof v !== 'string') save(jsonKind(v), struct, node.go);
      return;
    case K.Bool:
      if (typeof v !== 'boolean') save(jsonKind(v), struct, node.go);
      return;
    case K.Float:
      if (typeof v !== 'number') save(jsonKind(v), struct, node.go);
      return;
    case K.Int:
      if (typeof v !== 'number') save(jsonKind(v), struct, node.go);
      else if (!intOK(v, node)) save(`number ${numberText(v)}`, struct, node.go);
      return;
    case K.Bytes:
      if (typeof v === 'string') return; // base64 content: see validation's decodeError
      if (Array.isArray(v)) {
        // encoding/json decodes a JSON array into []byte element by element
        for (let i = 0; i < v.length; i++) {
          const e = v[i] as unknown;
          if (e === null || e === undefined) continue;
          if (typeof e !== 'number') save(jsonKind(e), struct, 'uint8');
          else if (!Number.isInteger(e) || e < 0 || e > 255) save(`number ${numberText(e)}`, struct, 'uint8');
        }
        return;
      }
      save(jsonKind(v), struct, node.go);
      return;
    case K.IntOrString:
      // intstr.IntOrString.UnmarshalJSON: a string, else json.Unmarshal into the int32
      if (typeof v === 'string') return;
      if (typeof v !== 'number') hard = typeError(jsonKind(v), struct, 'int32');
      else if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
        hard = typeError(`number ${numberText(v)}`, struct, 'int32');
      }
      return;
    case K.Quantity: {
      // resource.Quantity.UnmarshalJSON: ParseQuantity of the (unquoted, trimmed) raw JSON text
      if (typeof v === 'number') return;
      if (typeof v !== 'string') {
        hard = quantityFormatError;
        return;
      }
      const r = parseQuantity(v.trim());
      if ('error' in r) hard = r.error;
      return;
    }
    case K.Time:
      // metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse (not checked)
      if (typeof v !== 'string') hard = typeError(jsonKind(v), struct, 'string');
      return;
    case K.Slice: {
      if (!Array.isArray(v)) {
        save(jsonKind(v), struct, node.go);
        return;
      }
      const elem = node.elem!;
      for (let i = 0; i < v.length && hard === undefined; i++) walk(elem, v[i], struct);
      return;
    }
    case K.Map: {
      if (typeof v !== 'object' || Array.isArray(v)) {
        save(jsonKind(v), struct, node.go);
        return;
      }
      const elem = node.elem!;
      if (elem.k === K.Any) return;
      for (const key in v as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        walk(elem, (v as Record<string, unknown>)[key], struct);
        if (hard !== undefined) return;
      }
      return;
    }
    case K.Struct: {
      if (typeof v !== 'object' || Array.isArray(v)) {
        save(jsonKind(v), struct, node.go);
        return;
      }
      if (depth >= MAX_DEPTH) return;
      const props = node.props!;
      const name = node.struct!;
      for (const key in v as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        const f = props.get(key);
        if (f === undefined) continue; // unknown field: skipped (strict decoding reports it)
        stack[depth++] = key;
        walk(f, (v as Record<string, unknown>)[key], name);
        depth--;
        if (hard !== undefined) return;
      }
      return;
    }
  }
}

/**
 * The 400 message kube-apiserver returns when `obj` (a decoded request body for `gvk`) holds a
 * JSON value of the wrong type for the kind's Go struct, or undefined when decoding succeeds:
 * `<Kind> in version "<version>" cannot be handled as a <Kind>: json: cannot unmarshal …`.
 * Also reports the errors of Quantity / IntOrString / Time decoding (e.g. the quantities regular
 * expression message). Unknown GVKs and non-object bodies → undefined. The top-level `apiVersion`
 * and `kind` are not checked (the server reads them before decoding).
 */
export function decodeTypeError(gvk: GVK, obj: unknown): string | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const root = rootNode(gvk);
  if (!root) return undefined;
  saved = undefined;
  hard = undefined;
  depth = 0;
  const props = root.props!;
  const name = root.struct!;
  try {
    for (const key in obj as Record<string, unknown>) {
      if (key === 'apiVersion' || key === 'kind') continue;
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      const f = props.get(key);
      if (f === undefined) continue;
      stack[depth++] = key;
      walk(f, (obj as Record<string, unknown>)[key], name);
      depth--;
      if (hard !== undefined) break;
    }
    const err = hard ?? saved;
    return err === undefined ? undefined : `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${err}`;
  } finally {
    saved = undefined;
    hard = undefined;
    depth = 0;
  }
}
