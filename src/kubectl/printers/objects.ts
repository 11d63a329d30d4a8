/**
 * Printing objects with an -o format (everything but server Tables): the one entry point the
 * commands share (get, create/apply/run … -o yaml|json|name|jsonpath|custom-columns).
 * kubectl prints one object alone when one was asked for by name, otherwise a `List`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubectlError } from '../client/errors.js';
import { parseCustomColumnsFile, parseCustomColumnsSpec, printCustomColumns } from './customcolumns.js';
import { asList, printJson } from './json.js';
import { printJsonPath, PrinterError } from './jsonpath.js';
import { printNames } from './name.js';
import { GO_TEMPLATE_UNSUPPORTED, parseOutputFormat, type OutputFormat } from './output.js';
import { sortObjects } from './sort.js';
import { printYaml } from './yaml.js';

export interface ObjectPrintOptions {
  /** print the single object itself rather than a List */
  single: boolean;
  noHeaders?: boolean;
  showManagedFields?: boolean;
  allowMissingTemplateKeys?: boolean;
  sortBy?: string;
  /** for -o jsonpath-file= / custom-columns-file= */
  cwd?: string;
}

/** parse -o, turning the printer's error into kubectl's */
export function outputFormat(value: string | undefined): OutputFormat {
  try {
    return parseOutputFormat(value);
  } catch (e) {
    if (e instanceof PrinterError) throw new KubectlError(e.message.replace(/\n$/, ''));
    throw e;
  }
}

function readTemplate(file: string, cwd?: string): string {
  try {
    return readFileSync(resolve(cwd ?? process.cwd(), file), 'utf8');
  } catch {
    throw new KubectlError(`error reading template ${file}, open ${file}: no such file or directory`);
  }
}

/** the text for `objects` in format `f` (not for tables) */
export function printObjects(f: OutputFormat, objects: any[], o: ObjectPrintOptions): string {
  try {
    const sorted = o.sortBy ? sortObjects(objects, o.sortBy) : objects;
    const doc = o.single && sorted.length === 1 ? sorted[0] : asList(sorted);
    switch (f.kind) {
      case 'name':
        return printNames(sorted);
      case 'json':
        return printJson(doc, { showManagedFields: o.showManagedFields });
      case 'yaml':
        return printYaml(doc, { showManagedFields: o.showManagedFields });
      case 'jsonpath':
        return printJsonPath(f.template, doc, { allowMissingKeys: o.allowMissingTemplateKeys ?? true, asJson: f.asJson });
      case 'jsonpath-file':
        return printJsonPath(readTemplate(f.file, o.cwd), doc, { allowMissingKeys: o.allowMissingTemplateKeys ?? true });
      case 'custom-columns':
        return printCustomColumns(parseCustomColumnsSpec(f.spec), sorted, { noHeaders: o.noHeaders });
      case 'custom-columns-file':
        return printCustomColumns(parseCustomColumnsFile(readTemplate(f.file, o.cwd)), sorted, { noHeaders: o.noHeaders });
      case 'go-template':
      case 'go-template-file':
        throw new KubectlError(GO_TEMPLATE_UNSUPPORTED);
      case 'table':
        throw new Error('tables are printed from the server\'s Table, not from objects');
    }
  } catch (e) {
    if (e instanceof PrinterError) throw new KubectlError(e.message.replace(/\n$/, ''));
    throw e;
  }
}
