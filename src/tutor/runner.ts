/**
 * Running a lesson against a cluster, shared by the engine and the lesson checker: setting it up
 * (clean, create manifests, run setup commands, copy files), filling placeholders in reference
 * commands (`{{pod:app=kubia}}` → the first matching pod's name), and the context checks run in.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ApiClient } from '../kubectl/client/api.js';
import { ServerError } from '../kubectl/client/errors.js';
import type { CheckContext } from './checks.js';
import type { RanCommand } from './commands.js';
import { readManifest, type LessonSet } from './loader.js';
import type { Lesson } from './schema.js';
import type { TutorShell } from './shell.js';

export class LessonRunner {
  constructor(
    readonly set: LessonSet,
    readonly shell: TutorShell,
    /** the namespace lessons work in (default on the sandbox, kube-tutor-<lesson> on real clusters) */
    public namespace: string,
  ) {}

  client(): ApiClient {
    return this.shell.session.client({});
  }

  private baseSpeed: number | null | undefined;

  /**
   * Sandbox only: run the sandbox clock at the lesson's speed (`speed:` in the lesson), or back at
   * the speed it started with. Through the sandbox's control API; a real cluster has none (404).
   */
  async applySpeed(speed: number | undefined): Promise<void> {
    // no lesson has changed the speed yet: there is nothing to restore
    if (speed === undefined && this.baseSpeed === undefined) return;
    const rest = this.client().rest;
    if (this.baseSpeed === undefined) {
      const r = await rest.raw('/sandbox/v1/time');
      this.baseSpeed = r.status === 200 ? (r.json().speed ?? null) : null;
    }
    if (this.baseSpeed === null) return;
    await rest.raw('/sandbox/v1/time', { method: 'POST', query: { speed: String(speed ?? this.baseSpeed) } });
  }

  /** make the cluster ready for the lesson's first step; returns problems (empty when fine) */
  async setup(lesson: Lesson): Promise<string[]> {
    const problems: string[] = [];
    const s = lesson.setup ?? {};
    for (const args of s.clean ?? []) {
      const r = await this.shell.exec(`kubectl delete ${args} --ignore-not-found --wait=false`);
      if (r.exitCode !== 0 && !/No resources found/.test(r.stderr)) problems.push(`clean "${args}": ${r.stderr.trim()}`);
    }
    for (const m of s.apply ?? []) {
      try {
        await this.createManifest(readManifest(this.set, m));
      } catch (e) {
        problems.push(`${m}: ${(e as Error).message}`);
      }
    }
    for (const c of s.commands ?? []) {
      const r = await this.shell.exec(c);
      if (r.exitCode !== 0) problems.push(`setup "${c}": ${r.stderr.trim()}`);
    }
    if (s.files) {
      mkdirSync(this.shell.session.cwd, { recursive: true });
      for (const [name, path] of Object.entries(s.files)) copyFileSync(join(this.set.dir, path), join(this.shell.session.cwd, name));
    }
    return problems;
  }

  /** create (or leave alone, when it already exists) every object of a manifest */
  async createManifest(text: string): Promise<void> {
    const client = this.client();
    for (const doc of parseAllDocuments(text, { version: '1.1' })) {
      const obj = doc.toJS();
      if (!obj || typeof obj !== 'object') continue;
      const r = await client.discovery.forKind(String(obj.apiVersion), String(obj.kind));
      if (!r) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
      try {
        await client.create(r, r.namespaced ? (obj.metadata?.namespace ?? this.namespace) : undefined, obj, { fieldManager: 'kube-tutor' });
      } catch (e) {
        if (!(e instanceof ServerError && e.reason === 'AlreadyExists')) throw e;
      }
    }
  }

  /**
   * Fill placeholders in a reference command or hint: `{{pod:SELECTOR}}` → the name of the first
   * (oldest Running, else oldest) matching pod; `{{clusterIP:SERVICE}}` → that service's cluster IP.
   */
  async fill(command: string): Promise<string> {
    const re = /\{\{pod:([^}]+)\}\}/g;
    let out = command;
    for (const m of command.matchAll(/\{\{clusterIP:([^}]+)\}\}/g)) {
      const client = this.client();
      try {
        const svc = await client.get(await client.discovery.resolve('services'), this.namespace, m[1]!.trim());
        if (svc?.spec?.clusterIP) out = out.replace(m[0], svc.spec.clusterIP);
      } catch {
        /* not there yet: leave the placeholder */
      }
    }
    for (const m of command.matchAll(re)) {
      const client = this.client();
      const pods = await client.list(await client.discovery.resolve('pods'), this.namespace, { labelSelector: m[1]!.trim() });
      const items = (pods.items ?? []).filter((p: any) => !p.metadata?.deletionTimestamp);
      items.sort((a: any, b: any) => {
        const ra = a.status?.phase === 'Running' ? 0 : 1;
        const rb = b.status?.phase === 'Running' ? 0 : 1;
        return ra - rb || String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name));
      });
      const name = items[0]?.metadata?.name;
      if (name) out = out.replace(m[0], name);
    }
    return out;
  }

  checkContext(ran: RanCommand[]): CheckContext {
    return {
      client: this.client(),
      namespace: this.namespace,
      ran,
      http: (url, from, namespace) => this.http(url, from, namespace),
    };
  }

  private async http(url: string, from: 'host' | 'pod', namespace: string): Promise<string> {
    if (from === 'host') {
      const r = await this.shell.exec(`curl -s -m 5 ${url}`);
      if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `curl exited ${r.exitCode}`);
      return r.stdout;
    }
    const client = this.client();
    const pods = await client.list(await client.discovery.resolve('pods'), namespace, { fieldSelector: 'status.phase=Running' });
    const pod = (pods.items ?? []).find((p: any) => !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'));
    if (!pod) throw new Error('no running pod to curl from');
    const r = await this.shell.exec(`kubectl exec ${pod.metadata.name} -n ${namespace} -- curl -s -m 5 ${url}`);
    if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
    return r.stdout;
  }
}
