/**
 * Field sets as kube-apiserver records them in `metadata.managedFields[].fieldsV1` (FieldsV1):
 * a tree of path elements `f:<field>`, `k:<json key object>`, `v:<json value>`, `i:<index>`, where
 * `.` marks that the node itself (not only its children) is in the set.
 */

/** one serialized path element, e.g. `f:spec`, `k:{"name":"kubia"}`, `v:"foo"`, `i:0` */
export type PE = string;
export type Path = PE[];

/**
 * Sets are built (insert) and then not modified: union, difference and intersection share the
 * subtrees they keep unchanged, and a node's FieldsV1 is emitted once.
 */
export class FieldSet {
  readonly members = new Set<PE>();
  readonly children = new Map<PE, FieldSet>();
  /** emitted FieldsV1 of this node: [without '.', with '.'] */
  private emitted: [Record<string, unknown> | undefined, Record<string, unknown> | undefined] | undefined;

  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    if (!v || typeof v !== 'object' || Array.isArray(v)) return s;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k === '.') continue;
      if (!/^[fkvi]:/.test(k)) continue;
      const c = child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
      const keys = Object.keys(c);
      if (keys.length === 0 || '.' in c) s.members.add(k);
      if (keys.some((x) => x !== '.')) {
        const sub = FieldSet.fromFieldsV1(c);
        if (!sub.empty()) s.children.set(k, sub);
      }
    }
    return s;
  }

  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const i = includeSelf ? 1 : 0;
    const cached = this.emitted?.[i];
    if (cached) return cached;
    const out = this.emitNew(includeSelf);
    (this.emitted ??= [undefined, undefined])[i] = out;
    return out;
  }

  private emitNew(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeSelf && !this.empty()) out['.'] = {};
    const keys: PE[] = [...this.members];
    for (const k of this.children.keys()) if (!this.members.has(k)) keys.push(k);
    keys.sort(comparePE);
    // every path element starts with `f:`, `k:`, `v:` or `i:`: a plain assignment makes an own property
    for (const k of keys) {
      const child = this.children.get(k);
      out[k] = child && !child.empty() ? child.emit(this.members.has(k)) : {};
    }
    return out;
  }

  empty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    let s: FieldSet = this;
    s.emitted = undefined;
    for (let i = 0; i < path.length - 1; i++) {
      let c = s.children.get(path[i]);
      if (!c) { c = new FieldSet(); s.children.set(path[i], c); }
      s = c;
      s.emitted = undefined;
    }
    s.members.add(path[path.length - 1]);
  }

  has(path: Path): boolean {
    const parent = this.at(path.slice(0, -1));
    return !!parent && path.length > 0 && parent.members.has(path[path.length - 1]);
  }

  /** the subtree under `path` (undefined when none) */
  at(path: Path): FieldSet | undefined {
    let s: FieldSet | undefined = this;
    for (const pe of path) {
      s = s.children.get(pe);
      if (!s) return undefined;
    }
    return s;
  }

  /** true when some member lies strictly below `path` */
  hasBelow(path: Path): boolean {
    const s = this.at(path);
    return !!s && !s.empty();
  }

  clone(): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const [k, c] of this.children) s.children.set(k, c.clone());
    return s;
  }

  /** the union; `this` itself when `o` adds nothing (field sets are not modified once built) */
  union(o: FieldSet): FieldSet {
    if (o.subsetOf(this)) return this;
    const s = new FieldSet();
    for (const m of this.members) s.members.add(m);
    for (const m of o.members) s.members.add(m);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      s.children.set(k, oc ? c.union(oc) : c);
    }
    for (const [k, c] of o.children) if (!this.children.has(k)) s.children.set(k, c);
    return s;
  }

  /** every member and every child node of this set is in `o` (so `o.union(this)` equals `o`) */
  private subsetOf(o: FieldSet): boolean {
    for (const m of this.members) if (!o.members.has(m)) return false;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc || !c.subsetOf(oc)) return false;
    }
    return true;
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    for (const m of this.members) if (o.members.has(m)) s.members.add(m);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) continue;
      const i = c.intersection(oc);
      if (!i.empty()) s.children.set(k, i);
    }
    return s;
  }

  /** exact-path difference (SMD Set.Difference); `this` itself when nothing is taken away */
  difference(o: FieldSet): FieldSet {
    let membersChange = false;
    if (o.members.size) for (const m of this.members) if (o.members.has(m)) { membersChange = true; break; }
    // the children's differences, collected once one differs from its child (or is empty)
    let diffs: FieldSet[] | undefined;
    let i = 0;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      const d = oc ? c.difference(oc) : c;
      if (!diffs && (d !== c || d.empty())) diffs = [...this.children.values()].slice(0, i);
      diffs?.push(d);
      i++;
    }
    if (!membersChange && !diffs) return this;
    const s = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) s.members.add(m);
    let j = 0;
    for (const [k, c] of this.children) {
      const d = diffs ? diffs[j] : c;
      j++;
      if (!d.empty()) s.children.set(k, d);
    }
    return s;
  }

  /** removes `path` and everything below it (SMD RecursiveDifference with a one-path set) */
  withoutSubtree(path: Path): FieldSet {
    const s = this.clone();
    if (path.length === 0) return new FieldSet();
    const parent = s.at(path.slice(0, -1));
    if (parent) {
      parent.members.delete(path[path.length - 1]);
      parent.children.delete(path[path.length - 1]);
    }
    return s;
  }

  /** every member path, in SMD's iteration order */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    const keys = [...new Set([...this.members, ...this.children.keys()])].sort(comparePE);
    for (const k of keys) {
      if (this.members.has(k)) out.push([...prefix, k]);
      const c = this.children.get(k);
      if (c) out.push(...c.paths([...prefix, k]));
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).empty() && o.difference(this).empty();
  }
}

const rank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** field names < keys < values < indexes, then by content (SMD PathElement.Compare, approximately) */
export function comparePE(a: PE, b: PE): number {
  const ra = rank[a[0]] ?? 9;
  const rb = rank[b[0]] ?? 9;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export const fieldPE = (name: string): PE => `f:${name}`;

/** `k:{"containerPort":8080,"protocol":"TCP"}`: key fields sorted by name */
export function keyPE(fields: Record<string, unknown>): PE {
  const names = Object.keys(fields).sort();
  return `k:{${names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(fields[n])}`).join(',')}}`;
}

export const valuePE = (v: unknown): PE => `v:${JSON.stringify(v)}`;
export const indexPE = (i: number): PE => `i:${i}`;

/** fieldpath.Path.String(): `.spec.containers[name="kubia"].image`, `.metadata.finalizers[="x"]` */
export function pathString(path: Path): string {
  return path.map((pe) => {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f': return `.${body}`;
      case 'k': {
        try {
          const o = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.keys(o).sort().map((k) => `${k}=${JSON.stringify(o[k])}`).join(',')}]`;
        } catch {
          return `[${body}]`;
        }
      }
      case 'v': return `[=${body}]`;
      case 'i': return `[${body}]`;
      default: return pe;
    }
  }).join('');
}
