/** labels.FormatLabels: sorted `k=v` joined by `,`; `<none>` for an empty/nil map */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const entries = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (entries.length === 0) return '<none>';
  entries.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return entries.join(',');
}
