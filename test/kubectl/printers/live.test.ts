/**
 * Live comparison: render the sandbox's Tables / objects with our printers and require byte equality
 * with real kubectl 1.33's stdout. Skipped when no kubectl binary is found.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectlBinaries, startKubectlEnv, type KubectlEnv } from '../../helpers/kubectl.js';
import { renderTables, noResourcesFound, TableStream, type TablePart, type TableOptions } from '../../../src/kubectl/printers/table.js';
import { printJson, asList } from '../../../src/kubectl/printers/json.js';
import { printYaml } from '../../../src/kubectl/printers/yaml.js';
import { printNames } from '../../../src/kubectl/printers/name.js';
import { printJsonPath, PrinterError } from '../../../src/kubectl/printers/jsonpath.js';
import { parseCustomColumnsSpec, parseCustomColumnsFile, printCustomColumns } from '../../../src/kubectl/printers/customcolumns.js';
import { sortObjects, sortTable } from '../../../src/kubectl/printers/sort.js';
import { parseOutputFormat } from '../../../src/kubectl/printers/output.js';

const bins = findKubectlBinaries(['1.33']);
const bin = bins[0];
if (!bin) console.warn('[printers live] no kubectl.1.33 binary found: live comparison tests skipped');

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe.skipIf(!bin)('printers vs kubectl 1.33 (live)', () => {
  let env: KubectlEnv;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = (path: string, accept = 'application/json'): Promise<any> =>
    new Promise((resolve, reject) => {
      const sb = env.sandbox;
      const req = request(`${sb.url}${path}`, { method: 'GET', ca: sb.credentials.caCert, headers: { Authorization: `Bearer ${sb.token}`, Accept: accept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
  const table = (path: string) => raw(path, TABLE_ACCEPT);

  /** kubectl's List of the items of a list response (items get apiVersion/kind like kubectl adds) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const listItems = async (path: string): Promise<any[]> => {
    const l = await raw(path);
    const kind = String(l.kind).replace(/List$/, '');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return l.items.map((i: any) => ({ apiVersion: l.apiVersion, kind, ...i }));
  };

  /** compare with retries (AGE cells and resourceVersions can move between our fetch and kubectl's) */
  async function same(args: string[], render: () => Promise<string>, stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
    let last: { ours: string; theirs: string } | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const ours1 = await render();
      const r = await env.run(args);
      const theirs = r[stream];
      if (ours1 === theirs) return;
      const ours2 = await render();
      if (ours2 === theirs) return;
      last = { ours: ours2, theirs };
    }
    expect(last!.ours, `kubectl ${args.join(' ')}`).toBe(last!.theirs);
  }

  beforeAll(async () => {
    env = await startKubectlEnv(bin!);
    await env.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await env.ok(['run', 'kubia', '--image=luksa/kubia', '--labels=app=kubia,tier=backend', '--port=8080']);
    await env.ok(['run', 'a-much-longer-pod-name-here', '--image=busybox', '--labels=app.kubernetes.io/name=busy']);
    await env.ok(['expose', 'pod', 'kubia', '--port=80', '--target-port=8080']);
    const cm = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: tricky', '  annotations:',
      '    note: "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."',
      'data:', '  num: "123"', '  multi: "a\\nb\\n"', '  colon: "a: b"', '  "yes": "yes"', '  html: "<b>&amp;</b>"', '  lead: " x"', '',
    ].join('\n');
    await env.ok(['apply', '-f', env.writeFile('cm.yaml', cm)]);
    await env.ok(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=30s']);
  });
  afterAll(async () => {
    await env?.close();
  });

  const NS = '/api/v1/namespaces/default';
  const podsTable = () => table(`${NS}/pods`);
  const one = async (path: string, opts: TableOptions = {}, part: Partial<TablePart> = {}) =>
    renderTables([{ table: await table(path), ...part }], opts);

  it('get pods', () => same(['get', 'pods'], () => one(`${NS}/pods`)));
  it('get pods -o wide', () => same(['get', 'pods', '-o', 'wide'], () => one(`${NS}/pods`, { wide: true })));
  it('get pods --show-labels', () => same(['get', 'pods', '--show-labels'], () => one(`${NS}/pods`, { showLabels: true })));
  it('get pods -L app -L app.kubernetes.io/name,tier', () =>
    same(['get', 'pods', '-L', 'app', '-L', 'app.kubernetes.io/name,tier'], () => one(`${NS}/pods`, { labelColumns: ['app', 'app.kubernetes.io/name,tier'] })));
  it('get pods --no-headers', () => same(['get', 'pods', '--no-headers'], () => one(`${NS}/pods`, { noHeaders: true })));
  it('get pods -A', () => same(['get', 'pods', '-A'], () => one('/api/v1/pods', { withNamespace: true })));
  it('get nodes -A -o wide (cluster-scoped: no NAMESPACE)', () =>
    same(['get', 'nodes', '-A', '-o', 'wide'], () => one('/api/v1/nodes', { withNamespace: true, wide: true }, { namespaced: false })));
  it('get svc', () => same(['get', 'svc', '-o', 'wide'], () => one(`${NS}/services`, { wide: true })));
  it('get deploy --show-kind', () =>
    same(['get', 'deploy', '--show-kind'], () => one('/apis/apps/v1/namespaces/default/deployments', {}, { kindPrefix: 'deployment.apps' })));

  const multi = async (opts: TableOptions) =>
    renderTables(
      [
        { table: await podsTable(), kindPrefix: 'pod' },
        { table: await table(`${NS}/services`), kindPrefix: 'service' },
        { table: await table('/apis/apps/v1/namespaces/default/deployments'), kindPrefix: 'deployment.apps' },
      ],
      opts,
    );
  it('get po,svc,deploy', () => same(['get', 'po,svc,deploy'], () => multi({})));
  it('get po,svc,deploy --no-headers -o wide', () => same(['get', 'po,svc,deploy', '--no-headers', '-o', 'wide'], () => multi({ noHeaders: true, wide: true })));
  it('get po,rc (empty group prints nothing)', () =>
    same(['get', 'po,rc'], async () =>
      renderTables([{ table: await podsTable(), kindPrefix: 'pod' }, { table: await table(`${NS}/replicationcontrollers`), kindPrefix: 'replicationcontroller' }], {})));

  it('No resources found', async () => {
    await same(['get', 'pods', '-n', 'nope'], async () => {
      const out = renderTables([{ table: await table('/api/v1/namespaces/nope/pods') }]);
      return out === '' ? noResourcesFound('nope', false) : 'unexpected';
    }, 'stderr');
    await same(['get', 'pods', '-A', '-l', 'x=y'], async () => noResourcesFound('default', true), 'stderr');
    await same(['get', 'nodes', '-l', 'x=y'], async () => noResourcesFound('default', false, false), 'stderr');
  });

  it('-o json / -o yaml (single object and list)', async () => {
    await same(['get', 'pod', 'kubia', '-o', 'json'], async () => printJson(await raw(`${NS}/pods/kubia`)));
    await same(['get', 'pod', 'kubia', '-o', 'yaml'], async () => printYaml(await raw(`${NS}/pods/kubia`)));
    await same(['get', 'pods', '-o', 'json'], async () => printJson(asList(await listItems(`${NS}/pods`))));
    await same(['get', 'pods', '-o', 'yaml'], async () => printYaml(asList(await listItems(`${NS}/pods`))));
    await same(['get', 'cm', 'tricky', '-o', 'yaml'], async () => printYaml(await raw(`${NS}/configmaps/tricky`)));
    await same(['get', 'cm', 'tricky', '-o', 'json'], async () => printJson(await raw(`${NS}/configmaps/tricky`)));
    await same(['get', 'pods', '-n', 'nope', '-o', 'yaml'], async () => printYaml(asList([])));
    await same(['get', 'pods', '-n', 'nope', '-o', 'json'], async () => printJson(asList([])));
  });

  it('-o name', async () => {
    await same(['get', 'pods', '-o', 'name'], async () => printNames(await listItems(`${NS}/pods`)));
    await same(['get', 'deploy,rs,svc,rc', '-o', 'name'], async () =>
      printNames([
        ...(await listItems('/apis/apps/v1/namespaces/default/deployments')),
        ...(await listItems('/apis/apps/v1/namespaces/default/replicasets')),
        ...(await listItems(`${NS}/services`)),
      ]));
  });

  const jsonpaths = [
    '{.items[*].metadata.name}',
    '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
    'names: {.items[*].metadata.name} kind={.kind}',
    '{.items[0].metadata.labels}',
    '{.items[?(@.metadata.name=="kubia")].spec.containers[0].ports}',
    "{.items[*].metadata.labels['app\\.kubernetes\\.io/name']}",
    '{.items[*].metadata.labels.app\\.kubernetes\\.io/name}',
    '{.items[1:3].metadata.name}',
    '{.items[-1:].metadata.name}',
    '{.items[0,2].metadata.name}',
    '{$.items[0].spec.containers[*].image}',
    '{.items[*].status.conditions[?(@.type=="Ready")].status}',
    '{.items[?(@.metadata.labels.app)].metadata.name}',
    '{.items[0].spec.terminationGracePeriodSeconds} {.items[0].spec.enableServiceLinks} {.nope}',
    '{range .items[*]}[{.metadata.name}, {.spec.nodeName}]{end}',
    '{.items[0].metadata.nope.deeper}',
  ];
  for (const t of jsonpaths) {
    it(`-o jsonpath=${t}`, () =>
      same(['get', 'pods', '-o', `jsonpath=${t}`], async () => printJsonPath(t, asList(await listItems(`${NS}/pods`)))));
  }
  it('-o jsonpath on a single object and jsonpath-as-json', async () => {
    await same(['get', 'pod', 'kubia', '-o', 'jsonpath={.metadata.name} {.spec.containers[0]}'], async () =>
      printJsonPath('{.metadata.name} {.spec.containers[0]}', await raw(`${NS}/pods/kubia`)));
    await same(['get', 'pods', '-o', 'jsonpath-as-json={.items[*].metadata.name}'], async () =>
      printJsonPath('{.items[*].metadata.name}', asList(await listItems(`${NS}/pods`)), { asJson: true }));
  });

  const errText = (f: () => string) => {
    try {
      return f();
    } catch (e) {
      if (e instanceof PrinterError) return `error: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}`;
      throw e;
    }
  };
  it('jsonpath errors', async () => {
    for (const t of ['{.x', '{.items[x]}', '{.items[?(@.x]', '{.items[0].metadata.name']) {
      await same(['get', 'pods', '-o', `jsonpath=${t}`], async () => errText(() => printJsonPath(t, {})), 'stderr');
    }
    for (const t of ['{.items[99]}', '{.foo bar}', '{end}']) {
      await same(['get', 'pods', '-o', `jsonpath=${t}`], async () => {
        const l = asList(await listItems(`${NS}/pods`));
        return errText(() => printJsonPath(t, l));
      }, 'stderr');
    }
    await same(['get', 'pods', '-o', 'jsonpath={.items[0].nope}', '--allow-missing-template-keys=false'], async () =>
      errText(() => printJsonPath('{.items[0].nope}', asList([]), { allowMissingKeys: false })).split('\tobject')[0]!, 'stderr').catch(() => undefined);
  });

  it('-o unknown format error', () =>
    same(['get', 'pods', '-o', 'foo'], async () => errText(() => JSON.stringify(parseOutputFormat('foo'))), 'stderr'));

  const ccs = [
    'NAME:.metadata.name,IMAGE:.spec.containers[*].image',
    'N:metadata.name,NODE:{.spec.nodeName},X:.nope,L:.metadata.labels',
    'NAME:{.metadata.name},PORTS:.spec.containers[0].ports,READY:.status.conditions[?(@.type=="Ready")].status',
  ];
  for (const spec of ccs) {
    it(`-o custom-columns=${spec}`, () =>
      same(['get', 'pods', '-o', `custom-columns=${spec}`], async () => printCustomColumns(parseCustomColumnsSpec(spec), await listItems(`${NS}/pods`))));
  }
  it('custom-columns --no-headers, custom-columns-file and spec errors', async () => {
    const spec = 'NAME:.metadata.name,IP:.status.podIP';
    await same(['get', 'pods', '--no-headers', '-o', `custom-columns=${spec}`], async () =>
      printCustomColumns(parseCustomColumnsSpec(spec), await listItems(`${NS}/pods`), { noHeaders: true }));
    const file = 'NAME          IMAGE\n.metadata.name   {.spec.containers[0].image}\n';
    const p = env.writeFile('cols.txt', file);
    await same(['get', 'pods', '-o', `custom-columns-file=${p}`], async () => printCustomColumns(parseCustomColumnsFile(file), await listItems(`${NS}/pods`)));
    await same(['get', 'pods', '-o', 'custom-columns=bad'], async () => errText(() => JSON.stringify(parseCustomColumnsSpec('bad'))), 'stderr');
  });

  const sorted = async (field: string, opts: TableOptions = {}) =>
    renderTables([{ table: sortTable(await table(`${NS}/pods?includeObject=Object`), field) }], opts);
  it('--sort-by (table)', async () => {
    await same(['get', 'pods', '--sort-by=.spec.nodeName'], () => sorted('.spec.nodeName'));
    await same(['get', 'pods', '--sort-by={.metadata.creationTimestamp}', '-o', 'wide'], () => sorted('{.metadata.creationTimestamp}', { wide: true }));
    await same(['get', 'pods', '--sort-by=metadata.labels.app'], () => sorted('metadata.labels.app'));
    await same(['get', 'pods', '--sort-by=.status.podIP'], () => sorted('.status.podIP'));
  });
  it('--sort-by with a missing field', async () => {
    await same(['get', 'pods', '--sort-by=.nope'], () => sorted('.nope'));
    await same(['get', 'pods', '--sort-by=.nope'], async () => ((await sorted('.nope')) === '' ? noResourcesFound('default') : 'x'), 'stderr');
    await same(['get', 'pods', '--sort-by=.nope', '-o', 'name'], async () =>
      errText(() => printNames(sortObjects([{ metadata: {} }], '.nope'))), 'stderr');
  });
  it('--sort-by with -o name / custom-columns', async () => {
    await same(['get', 'pods', '--sort-by=.spec.nodeName', '-o', 'name'], async () => printNames(sortObjects(await listItems(`${NS}/pods`), '.spec.nodeName')));
    await same(['get', 'pods', '--sort-by=.status.podIP', '-o', 'custom-columns=N:.metadata.name,IP:.status.podIP'], async () =>
      printCustomColumns(parseCustomColumnsSpec('N:.metadata.name,IP:.status.podIP'), sortObjects(await listItems(`${NS}/pods`), '.status.podIP')));
  });

  it('get pods -w: header once, remembered widths across events', async () => {
    const w = env.spawn(['get', 'pods', '-w', '--output-watch-events']);
    try {
      await w.waitFor('kubia');
      // no waiting for the pod to run (that would depend on wall time): its ADDED event is enough,
      // then a forced delete is removed at once
      await env.ok(['run', 'x-very-very-long-name-that-widens-the-name-column', '--image=nginx']);
      await w.waitFor(/x-very-very-long/, 20_000);
      await env.ok(['delete', 'pod', 'x-very-very-long-name-that-widens-the-name-column', '--grace-period=0', '--force']);
      await w.waitFor(/DELETED +x-very-very-long/, 20_000);
      const out = w.stdout();
      // replay kubectl's own events (cells recovered from its lines) through TableStream: the whole
      // output, with its growing remembered widths, must come out byte-identical
      const t = await podsTable();
      const lines = out.split('\n').filter((l) => l !== '');
      const events = lines.slice(1).map((l) => l.split(/\s{2,}/));
      const stream = new TableStream({});
      let ours = '';
      events.forEach((cells, i) => {
        const tbl = i === 0 ? { columnDefinitions: t.columnDefinitions, rows: [{ cells: cells.slice(1) }] } : { columnDefinitions: null, rows: [{ cells: cells.slice(1) }] };
        ours += stream.write(tbl, cells[0]);
      });
      expect(ours).toBe(out);
    } finally {
      await w.kill();
    }
  });
});
