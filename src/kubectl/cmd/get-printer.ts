/**
 * How `kubectl get` prints what it fetched: server Tables (default, wide) through the table
 * printer, or objects through -o name/json/yaml/jsonpath/custom-columns; "No resources found" on
 * stderr when nothing was printed; and `-w` watches.
 */
import type { ApiClient } from '../client/api.js';
import { KubectlError } from '../client/errors.js';
import type { Invocation } from '../command.js';
import { outputFormat, printObjects } from '../printers/objects.js';
import type { OutputFormat } from '../printers/output.js';
import { PrinterError } from '../printers/jsonpath.js';
import { sortTable } from '../printers/sort.js';
import { noResourcesFound, renderTables, TableStream, type TablePart } from '../printers/table.js';
import { kindPrefix, type ApiResource } from '../resource/discovery.js';
import type { ResourceRequest } from '../resource/args.js';
import type { GetPart } from './get.js';

type Format = OutputFormat;

export class GetPrinter {
  private parts: GetPart[] = [];
  private constructor(
    private readonly inv: Invocation,
    private readonly client: ApiClient,
    private readonly format: Format,
    /** one named object was asked for: print it alone, not as a List */
    private readonly singleItem: boolean,
  ) {}

  static async create(inv: Invocation, client: ApiClient): Promise<GetPrinter> {
    const format = outputFormat(inv.str('output'));
    const args = inv.args;
    const single = (args.length === 2 && !args[0]!.includes(',') && !args[0]!.includes('/')) || (args.length === 1 && args[0]!.includes('/'));
    return new GetPrinter(inv, client, format, single);
  }

  get wantsTable(): boolean {
    return this.format.kind === 'table';
  }

  get sorting(): boolean {
    return !!this.inv.str('sort-by');
  }

  get includeObject(): 'Object' | undefined {
    return this.sorting ? 'Object' : undefined;
  }

  add(part: GetPart): void {
    this.parts.push(part);
  }

  /** print everything fetched; "No resources found" when nothing was printed and nothing failed */
  finish(hadErrors: boolean, namespace: string | undefined): void {
    const text = this.render();
    if (text) this.inv.out.write(text);
    else if (!hadErrors && !this.inv.bool('ignore-not-found') && !this.inv.bool('watch') && !this.inv.bool('watch-only')) {
      const allNamespaced = this.parts.length > 0 ? this.parts.every((p) => p.resource.namespaced) : true;
      this.inv.err.write(noResourcesFound(namespace, namespace === undefined, allNamespaced));
    }
  }

  private showKind(): boolean {
    if (this.inv.bool('show-kind')) return true;
    const kinds = new Set(this.parts.map((p) => `${p.resource.group}/${p.resource.kind}`));
    return kinds.size > 1;
  }

  private render(): string {
    const f = this.format;
    if (f.kind === 'table') {
      const showKind = this.showKind();
      const sortBy = this.inv.str('sort-by');
      const parts: TablePart[] = this.parts.map((p) => ({
        table: sortBy ? sortTableOrFail(p.table, sortBy) : p.table,
        kindPrefix: showKind ? kindPrefix(p.resource) : undefined,
        namespaced: p.resource.namespaced,
        resource: `${p.resource.resource}.${p.resource.group}`,
      }));
      return renderTables(parts, {
        wide: f.wide,
        showLabels: this.inv.bool('show-labels'),
        labelColumns: this.inv.list('label-columns'),
        noHeaders: this.inv.bool('no-headers'),
        withNamespace: this.inv.bool('all-namespaces'),
      });
    }
    const objects = this.parts.flatMap((p) => p.objects ?? []);
    if (!objects.length && f.kind !== 'json' && f.kind !== 'yaml' && !f.kind.startsWith('jsonpath')) return '';
    if (!objects.length && this.singleItem) return '';
    return printObjects(f, objects, {
      single: this.singleItem,
      noHeaders: this.inv.bool('no-headers'),
      showManagedFields: this.inv.bool('show-managed-fields'),
      allowMissingTemplateKeys: this.inv.bool('allow-missing-template-keys'),
      sortBy: this.inv.str('sort-by') || undefined,
      cwd: this.inv.session.cwd,
    });
  }

  /** `get -w`: stream rows as events arrive until cancelled */
  async watch(req: ResourceRequest, namespace: string | undefined): Promise<void> {
    const r: ApiResource = req.resource;
    const ns = r.namespaced ? namespace : undefined;
    const stream = new TableStream({
      wide: this.format.kind === 'table' && this.format.wide,
      showLabels: this.inv.bool('show-labels'),
      labelColumns: this.inv.list('label-columns'),
      noHeaders: this.inv.bool('no-headers'),
      withNamespace: this.inv.bool('all-namespaces'),
      namespaced: r.namespaced,
    });
    const first = this.parts.find((p) => p.resource === r)?.table;
    if (first) stream.write(first);
    this.inv.effect({ type: 'stream', kind: 'watch' });
    const rv = first?.metadata?.resourceVersion;
    const fieldSelector = req.names.length === 1 ? `metadata.name=${req.names[0]}` : this.inv.str('field-selector') || undefined;
    await this.client.watch(
      r,
      ns,
      { table: true, resourceVersion: rv, labelSelector: this.inv.str('selector') || undefined, fieldSelector },
      (ev) => {
        if (ev.type === 'BOOKMARK') return;
        if (ev.type === 'ERROR') return;
        const text = stream.write(ev.object, this.inv.bool('output-watch-events') ? ev.type : undefined);
        if (text) this.inv.out.write(text);
      },
      this.inv.signal,
    );
  }
}

function sortTableOrFail(table: any, field: string): any {
  try {
    return sortTable(table, field);
  } catch (e) {
    if (e instanceof PrinterError) throw new KubectlError(e.message.replace(/\n$/, ''));
    throw e;
  }
}
