/**
 * The notes were written for kubectl 1.10-era clusters. When a learner types what the notes say and
 * kubectl 1.33 refuses it (or warns), explain what changed and give the modern command. The
 * kubectl error itself is always printed first, unchanged.
 */
export interface OutdatedContext {
  /** argv without `kubectl` */
  argv: string[];
  /** the command path found (['get'], ['rollout','status']) or [] */
  path: string[];
  stderr: string;
  exitCode: number;
}

export interface Explanation {
  text: string;
  /** a corrected command line, when there is one */
  suggestion?: string;
}

function without(argv: string[], drop: (a: string) => boolean): string[] {
  return argv.filter((a) => !drop(a));
}

export function explainOutdated(c: OutdatedContext): Explanation | undefined {
  const { argv, path, stderr } = c;
  const verb = path[0];
  if (stderr.includes('unknown flag: --generator')) {
    const modern = without(argv, (a) => a.startsWith('--generator'));
    const name = modern[1] ?? 'kubia';
    const image = modern.find((a) => a.startsWith('--image='))?.slice(8) ?? 'luksa/kubia';
    return {
      text:
        `Generators were removed from kubectl (the --generator flag went away in 1.21): \`kubectl run\` now always creates one bare Pod. ` +
        `The notes' \`--generator=run/v1\` made a ReplicationController; for that, write the RC manifest and \`kubectl create -f\` it, ` +
        `or use the modern workload: \`kubectl create deployment ${name} --image=${image}${argv.find((a) => a.startsWith('--port')) ? ' ' + argv.find((a) => a.startsWith('--port')) : ''}\`.`,
      suggestion: `kubectl ${modern.join(' ')}`,
    };
  }
  if (verb === 'get' && (stderr.includes("unknown shorthand flag: 'a' in -a") || stderr.includes('unknown flag: --show-all'))) {
    return {
      text: '`-a/--show-all` was removed in kubectl 1.14: finished (Completed/Failed) pods are always listed now. Filter with `--field-selector=status.phase=Succeeded` if you want only those.',
      suggestion: `kubectl ${without(argv, (a) => a === '-a' || a.startsWith('--show-all')).join(' ')}`,
    };
  }
  if (verb === 'exec' && /is not supported anymore|-- \[COMMAND\]/.test(stderr)) {
    const flagsWithValue = new Set(['-c', '--container', '-n', '--namespace', '--context', '--kubeconfig', '-f', '--filename', '--pod-running-timeout']);
    const rest = argv.slice(1);
    const head: string[] = [];
    let i = 0;
    let pod: string | undefined;
    for (; i < rest.length; i++) {
      const a = rest[i]!;
      if (a.startsWith('-')) {
        head.push(a);
        if (flagsWithValue.has(a) && i + 1 < rest.length) head.push(rest[++i]!);
        continue;
      }
      if (!pod) {
        pod = a;
        continue;
      }
      break;
    }
    const cmd = rest.slice(i);
    return {
      text: 'Since kubectl 1.31 the command to run must come after `--` (it separates kubectl\'s own flags from the command\'s: in `exec POD -- curl -s …`, `-s` belongs to curl, not to kubectl).',
      suggestion: pod ? `kubectl exec ${[...head, pod].join(' ')} -- ${cmd.join(' ')}` : undefined,
    };
  }
  if (verb === 'scale' && argv.some((a) => /^(jobs?|job\.batch|jobs\.batch)(\/|$)/.test(a))) {
    const name = argv.find((a, i) => i > 1 && !a.startsWith('-')) ?? argv.find((a) => /^jobs?\//.test(a))?.split('/')[1] ?? 'NAME';
    const replicas = argv.find((a) => a.startsWith('--replicas'))?.split('=')[1] ?? argv[argv.indexOf('--replicas') + 1] ?? '3';
    return {
      text: '`kubectl scale job` was removed in kubectl 1.15: Jobs have no scale subresource. Change how many pods run at once by editing `spec.parallelism`.',
      suggestion: `kubectl patch job ${name} --type=merge -p '{"spec":{"parallelism":${replicas}}}'`,
    };
  }
  if (verb === 'delete' && argv.some((a) => a === '--cascade=false' || a === '--cascade=true')) {
    const orphan = argv.includes('--cascade=false');
    return {
      text: `Since kubectl 1.20 --cascade takes background (the default), foreground or orphan; the old boolean still works with a warning. ${orphan ? '`--cascade=orphan` keeps the pods' : '`--cascade=background` deletes the dependents'}.`,
      suggestion: `kubectl ${argv.map((a) => (a === '--cascade=false' ? '--cascade=orphan' : a === '--cascade=true' ? '--cascade=background' : a)).join(' ')}`,
    };
  }
  if (stderr.includes('unknown command "info" for "kubectl"')) {
    return {
      text: '`kubectl info` was never a kubectl command. To look at a service\'s endpoints use `kubectl get endpointslices -l kubernetes.io/service-name=NAME` (or `kubectl describe svc NAME`); for the cluster, `kubectl cluster-info`.',
    };
  }
  if (stderr.includes('the server doesn\'t have a resource type "endpoint"')) {
    return {
      text: 'The Endpoints kind is plural even for one object, so the resource is `endpoints` (or `ep`). In 1.33 EndpointSlices are the current API.',
      suggestion: `kubectl ${argv.map((a) => (a === 'endpoint' ? 'endpoints' : a)).join(' ')}`,
    };
  }
  const nomatch = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(stderr);
  if (nomatch) {
    const [, kind, version] = nomatch;
    const moved: Record<string, string> = {
      'apps/v1beta1': 'apps/v1 (since 1.16)',
      'apps/v1beta2': 'apps/v1 (since 1.16)',
      'extensions/v1beta1': kind === 'Ingress' ? 'networking.k8s.io/v1 (since 1.22; it also needs pathType and service.name/service.port)' : 'apps/v1 (since 1.16)',
      'networking.k8s.io/v1beta1': 'networking.k8s.io/v1 (since 1.22)',
      'batch/v1beta1': 'batch/v1 (since 1.25)',
      'batch/v2alpha1': 'batch/v1',
      'policy/v1beta1': 'policy/v1 (since 1.25)',
    };
    const to = moved[version!];
    if (to) return { text: `Kubernetes stopped serving ${kind} in ${version}; use apiVersion ${to}.` };
  }
  return undefined;
}
