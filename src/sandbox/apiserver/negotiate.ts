/** Content negotiation: what the client accepts back and what it sent. */

export type ResponseFormat =
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'table'; version: 'v1' | 'v1beta1' }
  | { type: 'partial'; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseMediaRanges(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/**
 * The first acceptable representation in the client's order: Tables and PartialObjectMetadata
 * (group meta.k8s.io v1/v1beta1), then JSON or YAML. Protobuf-only clients are answered in JSON,
 * which kubectl and client-go accept.
 */
export function negotiateResponse(accept: string | undefined): ResponseFormat | { type: 'unacceptable'; message: string } {
  const ranges = parseMediaRanges(accept);
  if (!ranges.length) return { type: 'json' };
  let sawTable: string | undefined;
  for (const r of ranges) {
    const as = r.params.as;
    if (as) {
      const g = r.params.g;
      const v = r.params.v;
      if ((as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
        if (r.type !== 'application/json' && r.type !== '*/*') continue;
        return as === 'Table' ? { type: 'table', version: v } : { type: 'partial', version: v };
      }
      sawTable = `${as} ${g}/${v}`;
      continue;
    }
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return { type: 'json' };
    if (r.type === 'application/yaml') return { type: 'yaml' };
    if (r.type === 'application/vnd.kubernetes.protobuf') continue;
  }
  if (ranges.some((r) => r.type === 'application/vnd.kubernetes.protobuf' && !r.params.as)) return { type: 'json' };
  return {
    type: 'unacceptable',
    message: sawTable
      ? `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;as=Table;v=v1;g=meta.k8s.io`
      : `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
  };
}

/** the media type of a request body, lower-cased and without parameters */
export function bodyMediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
