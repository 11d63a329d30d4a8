/**
 * Our kubectl against an in-process sandbox on the manual clock: `env.k('get po')` runs one line
 * the way the tutor does (Session + run) and returns stdout, stderr, exit code and effects.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, Session, type RunResult, type SessionOptions } from '../../src/kubectl/index.js';
import { startTestSandbox, type TestSandbox } from './sandbox.js';

export interface OursEnv extends TestSandbox {
  session: Session;
  dir: string;
  kubeconfigPath: string;
  k(line: string, opts?: Parameters<typeof run>[2]): Promise<RunResult>;
  writeFile(name: string, content: string): string;
}

export async function startOurs(opts: { session?: SessionOptions; nodes?: number } = {}): Promise<OursEnv> {
  const t = await startTestSandbox({ nodes: opts.nodes ?? 2 });
  const dir = mkdtempSync(join(tmpdir(), 'kt-ours-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, t.sandbox.kubeconfig(), { mode: 0o600 });
  const session = new Session({ env: { ...process.env, KUBECONFIG: kubeconfigPath }, cwd: dir, confirmDestructive: false, ...opts.session });
  return {
    ...t,
    session,
    dir,
    kubeconfigPath,
    k: (line, o) => run(line, session, o),
    writeFile: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    close: async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
