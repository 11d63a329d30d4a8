import { specStatusStrategy, type ResourceType } from '../apiserver/resource.js';
import { errors } from '../apiserver/errors.js';
import { tablePrinterFor } from '../printers/index.js';

const base = specStatusStrategy();

/** namespaces the cluster itself needs */
const protectedNamespaces = new Set(['default', 'kube-system', 'kube-public']);

/** core/v1 namespaces: cluster-scoped; deletion goes through the `kubernetes` finalizer. */
export const namespaces: ResourceType = {
  group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace',
  shortNames: ['ns'], namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  statusSubresource: true,
  table: tablePrinterFor('Namespace'),
  strategy: {
    ...base,
    prepareForCreate(obj, ctx) {
      base.prepareForCreate!(obj, ctx);
      obj.status = { phase: 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
    },
    checkDelete(obj) {
      // NamespaceLifecycle admission
      if (protectedNamespaces.has(obj.metadata.name!)) {
        throw errors.forbidden('', 'namespaces', obj.metadata.name!, 'this namespace may not be deleted');
      }
    },
    prepareForUpdate(obj, old, ctx) {
      base.prepareForUpdate!(obj, old, ctx);
      obj.spec = old.spec; // spec.finalizers change only through the finalize subresource
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name! };
    },
  },
};
