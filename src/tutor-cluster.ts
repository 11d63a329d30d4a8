/**
 * Which cluster a tutor session runs on. By default the embedded sandbox, booted in this process,
 * whose state is kept between runs in the data dir (`--fresh` starts it clean, `--ephemeral` keeps
 * nothing); its kubeconfig is written beside it so real kubectl in another terminal can join in.
 * When a `kube-tutor serve` already holds that state, the session connects to it instead. A real
 * cluster is used only when asked for (`--kubeconfig` / `--context`); one the environment points at
 * is offered in a note, never chosen silently.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readKubeConfig } from './kubectl/client/kubeconfig.js';
import { defaultKubeconfigPath, defaultStateDir } from './paths.js';

export interface ClusterChoice {
  kubeconfig: string;
  /** the kubeconfig context to use (real clusters) */
  context?: string;
  sandbox: boolean;
  /** things the learner should know about the choice */
  notes: string[];
  close(): Promise<void>;
}

export interface SandboxChoiceOptions {
  fresh?: boolean;
  ephemeral?: boolean;
  speed: number;
  nodes: number;
  env?: NodeJS.ProcessEnv;
  /** where to write the kubeconfig of an ephemeral sandbox */
  scratchDir: string;
}

/** the embedded sandbox: booted here with its saved state, or the running `kube-tutor serve` that holds it */
export async function embeddedSandbox(o: SandboxChoiceOptions): Promise<ClusterChoice> {
  const { startSandbox, resetState } = await import('./sandbox/sandbox.js');
  const { writeKubeconfig } = await import('./kubeconfig-file.js');
  const env = o.env ?? process.env;
  const notes: string[] = [];
  const stateDir = o.ephemeral ? undefined : defaultStateDir(env);
  const kubeconfig = o.ephemeral ? join(o.scratchDir, 'kubeconfig') : defaultKubeconfigPath(env);
  try {
    if (stateDir && o.fresh) resetState(stateDir);
    // the screen draws before the controllers and kubelets start their first round of work
    const s = await startSandbox({ stateDir, speed: o.speed, nodes: o.nodes, controllers: 'soon' });
    writeKubeconfig(kubeconfig, s.kubeconfig());
    if (!o.ephemeral) notes.push(`real kubectl can join in from another terminal: export KUBECONFIG=${kubeconfig}`);
    return { kubeconfig, sandbox: true, notes, close: () => s.close() };
  } catch (e) {
    // another kube-tutor (a `serve`, or a second tutor) runs this sandbox: share it through its kubeconfig
    if ((e as { code?: string }).code === 'LOCKED' && existsSync(kubeconfig) && !o.fresh) {
      notes.push(`using the sandbox another kube-tutor process is running (${kubeconfig})`);
      return { kubeconfig, sandbox: true, notes, close: async () => undefined };
    }
    throw e;
  }
}

/** a real cluster the learner asked for */
export function realCluster(kubeconfig: string | undefined, context: string | undefined, env: NodeJS.ProcessEnv = process.env): ClusterChoice {
  // a KUBECONFIG list stays a list: kubectl merges its files
  const path = kubeconfig ?? (env.KUBECONFIG || join(env.HOME || homedir(), '.kube', 'config'));
  return { kubeconfig: path, context, sandbox: false, notes: [], close: async () => undefined };
}

/**
 * The note offering the cluster the environment points at (KUBECONFIG or ~/.kube/config), when
 * there is one with a current context and it is not a kube-tutor sandbox.
 */
export function offerRealCluster(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let context: string;
  try {
    const { kc, files } = readKubeConfig({ env });
    if (files.length === 1 && files[0] === defaultKubeconfigPath(env)) return undefined;
    context = kc.getCurrentContext();
  } catch {
    return undefined;
  }
  if (!context || context === 'kube-tutor') return undefined;
  return `your kubeconfig points at context "${context}"; this session uses the embedded sandbox. To learn on that cluster: kube-tutor --context ${context}`;
}
