/** DescribePodTemplate and describeTopologySpreadConstraints. */
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './blocks.js';
import { describeContainers } from './containers.js';
import { formatLabelSelector } from './format.js';
import { goSort, goStringLess } from './gosort.js';
import { describeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

export function describeTopologySpreadConstraints(tscs: any[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs || tscs.length === 0) return;
  const sorted = goSort([...tscs], (a, b) => goStringLess(a?.topologyKey ?? '', b?.topologyKey ?? ''));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, space);
      w.write(LEVEL_0, '\t');
    }
    w.write(LEVEL_0, `${t?.topologyKey ?? ''}:`);
    w.write(LEVEL_0, `${t?.whenUnsatisfiable ?? ''}`);
    w.write(LEVEL_0, ` when max skew ${t?.maxSkew ?? 0} is exceeded`);
    if (t?.labelSelector) w.write(LEVEL_0, ` for selector ${formatLabelSelector(t.labelSelector)}`);
    w.write(LEVEL_0, '\n');
  });
}

/** DescribePodTemplate; `template` undefined prints "  <unset>" without a newline (RC with no template) */
export function describePodTemplate(template: any, w: PrefixWriter, tz: string | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const md = template.metadata ?? {};
  const spec = template.spec ?? {};
  printLabelsMultiline(w, '  Labels', md.labels);
  if (Object.keys(md.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', md.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) describeContainers('Init Containers', spec.initContainers, undefined, undefined, w, '  ', tz);
  describeContainers('Containers', spec.containers, undefined, undefined, w, '  ', tz);
  describeVolumes(spec.volumes, w, '  ');
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}
