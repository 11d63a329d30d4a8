/**
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding`: RBAC objects from flags. Resource
 * names in --resource are resolved through discovery (`deploy` → `deployments` in group `apps`);
 * one rule per API group, groups sorted, as kubectl builds them.
 */
import { KubectlError } from '../client/errors.js';
import type { Command, Invocation } from '../command.js';
import { createGenerated, dryRunMode, GENERATOR_FLAGS, meta, oneName } from './create-common.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const RBAC = 'rbac.authorization.k8s.io';

async function rules(inv: Invocation, allowNonResource: boolean): Promise<any[]> {
  const verbs = inv.list('verb');
  const resources = inv.list('resource');
  const urls = allowNonResource ? inv.list('non-resource-url') : [];
  if (!verbs.length) throw new KubectlError('at least one verb must be specified');
  if (!resources.length && !urls.length) throw new KubectlError(allowNonResource ? 'one of resource or nonResourceURL must be specified' : 'at least one resource must be specified');
  const byGroup = new Map<string, string[]>();
  if (resources.length) {
    const client = await inv.client();
    for (const spec of resources) {
      const [typ, sub] = spec.split('/', 2) as [string, string | undefined];
      let group: string;
      let plural: string;
      if (typ === '*') {
        group = '';
        plural = '*';
      } else {
        const r = await client.discovery.resolve(typ);
        group = r.group;
        plural = r.resource;
      }
      const name = sub ? `${plural}/${sub}` : plural;
      const list = byGroup.get(group) ?? [];
      if (!list.includes(name)) list.push(name);
      byGroup.set(group, list);
    }
  }
  const out: any[] = [];
  for (const g of [...byGroup.keys()].sort()) {
    const rule: any = { verbs: [...verbs], apiGroups: [g], resources: byGroup.get(g) };
    const names = inv.list('resource-name');
    if (names.length) rule.resourceNames = [...names];
    out.push(rule);
  }
  if (urls.length) out.push({ verbs: [...verbs], nonResourceURLs: [...urls] });
  return out;
}

const roleFlags = [
  { name: 'verb', type: 'stringSlice' as const, usage: 'Verbs the rule allows (get, list, watch, create …).' },
  { name: 'resource', type: 'stringSlice' as const, usage: 'Resources the rule covers (pods, deployments.apps, pods/log …).' },
  { name: 'resource-name', type: 'stringArray' as const, usage: 'Only these object names (repeatable).' },
];

const role: Command = {
  name: 'role',
  short: 'Create a role with one rule per API group',
  usage: 'kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]',
  example: 'kubectl create role pod-reader --verb=get,list,watch --resource=pods',
  flags: [...GENERATOR_FLAGS, ...roleFlags],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const obj = { kind: 'Role', apiVersion: `${RBAC}/v1`, metadata: meta(name), rules: await rules(inv, false) };
    await createGenerated(inv, { kind: { group: RBAC, version: 'v1', resource: 'roles', kind: 'Role', namespaced: true }, obj });
  },
};

const clusterrole: Command = {
  name: 'clusterrole',
  short: 'Create a cluster role',
  usage: 'kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]',
  example: 'kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods',
  flags: [
    ...GENERATOR_FLAGS,
    ...roleFlags,
    { name: 'non-resource-url', type: 'stringSlice', usage: 'Non-resource URLs the rule covers (/healthz …).' },
    { name: 'aggregation-rule', type: 'string', usage: 'Label selector (key=value,…) of the cluster roles to aggregate.' },
  ],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const obj: any = { kind: 'ClusterRole', apiVersion: `${RBAC}/v1`, metadata: meta(name) };
    if (inv.str('aggregation-rule')) {
      const matchLabels: Record<string, string> = {};
      for (const p of inv.str('aggregation-rule').split(',')) {
        const [k, v] = p.split('=', 2);
        matchLabels[k!] = v ?? '';
      }
      obj.rules = null;
      obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels }] };
    } else obj.rules = await rules(inv, true);
    await createGenerated(inv, { kind: { group: RBAC, version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false }, obj });
  },
};

function subjects(inv: Invocation): any[] {
  const out: any[] = [];
  for (const u of inv.list('user')) out.push({ kind: 'User', apiGroup: RBAC, name: u });
  for (const g of inv.list('group')) out.push({ kind: 'Group', apiGroup: RBAC, name: g });
  for (const sa of inv.list('serviceaccount')) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new KubectlError(`serviceaccount must be <namespace>:<name>`);
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

const bindingFlags = [
  { name: 'clusterrole', type: 'string' as const, usage: 'The cluster role to bind.' },
  { name: 'user', type: 'stringArray' as const, usage: 'User names to bind (repeatable).' },
  { name: 'group', type: 'stringArray' as const, usage: 'Group names to bind (repeatable).' },
  { name: 'serviceaccount', type: 'stringArray' as const, usage: 'Service accounts to bind, as namespace:name (repeatable).' },
];

const rolebinding: Command = {
  name: 'rolebinding',
  short: 'Bind a role or cluster role inside a namespace',
  usage: 'kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]',
  example: 'kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:default',
  flags: [...GENERATOR_FLAGS, { name: 'role', type: 'string', usage: 'The role to bind.' }, ...bindingFlags],
  async run(inv) {
    const name = oneName(inv);
    dryRunMode(inv);
    const roleName = inv.str('role');
    const cr = inv.str('clusterrole');
    if (!!roleName === !!cr) throw new KubectlError('exactly one of clusterrole or role must be specified');
    const obj: any = { kind: 'RoleBinding', apiVersion: `${RBAC}/v1`, metadata: meta(name) };
    const subs = subjects(inv);
    if (subs.length) obj.subjects = subs;
    obj.roleRef = { apiGroup: RBAC, kind: roleName ? 'Role' : 'ClusterRole', name: roleName || cr };
    await createGenerated(inv, { kind: { group: RBAC, version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true }, obj });
  },
};

const clusterrolebinding: Command = {
  name: 'clusterrolebinding',
  short: 'Bind a cluster role cluster-wide',
  usage: 'kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]',
  example: 'kubectl create clusterrolebinding view-all --clusterrole=view --user=alice',
  flags: [...GENERATOR_FLAGS, ...bindingFlags],
  async run(inv) {
    if (!inv.changed.has('clusterrole')) throw new KubectlError('required flag(s) "clusterrole" not set');
    const name = oneName(inv);
    dryRunMode(inv);
    const obj: any = { kind: 'ClusterRoleBinding', apiVersion: `${RBAC}/v1`, metadata: meta(name) };
    const subs = subjects(inv);
    if (subs.length) obj.subjects = subs;
    obj.roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: inv.str('clusterrole') };
    await createGenerated(inv, { kind: { group: RBAC, version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false }, obj });
  },
};

export const ROLE_SUBCOMMANDS: Command[] = [clusterrole, clusterrolebinding, role, rolebinding];
