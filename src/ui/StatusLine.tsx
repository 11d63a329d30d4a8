/**
 * The status line: lesson and step with a progress bar, the cluster and namespace, the sandbox
 * clock's speed, background jobs, and whether a command runs. Truncated to the terminal's width.
 */
import { colour } from './colour.js';
import { Text } from 'ink';
import type { StatusInfo } from '../app/repl.js';

/** `▰▰▰▱▱▱` for step index of total (the steps before the current one are done) */
export function progressBar(index: number, total: number, width = 8): string {
  const filled = total ? Math.round((Math.min(index, total) / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

export function StatusLine({ status, busy, queued }: { status: StatusInfo; busy: boolean; queued: number }) {
  return (
    <Text wrap="truncate-end">
      <Text inverse bold> {status.lesson ?? 'sandbox mode'} </Text>
      {status.step ? <Text color={colour('green')}> {progressBar(status.step.index, status.step.total)}</Text> : null}
      <Text dimColor> │ </Text>
      <Text color={colour('cyan')}>{status.cluster}</Text>
      {status.namespace ? <Text dimColor> ns:</Text> : null}
      {status.namespace ? <Text>{status.namespace}</Text> : null}
      {status.speed !== undefined && status.speed !== 1 ? <Text color={colour('magenta')}> ⏱ ×{status.speed}</Text> : null}
      {status.session ? (
        <>
          <Text dimColor> │ </Text>
          <Text color={colour('yellow')}>in: {status.session}</Text>
          <Text dimColor> (Ctrl-D ends)</Text>
        </>
      ) : null}
      {status.jobs.length ? (
        <>
          <Text dimColor> │ </Text>
          <Text color={colour('yellow')}>jobs: {status.jobs.join(', ')}</Text>
          <Text dimColor> (Ctrl-C stops)</Text>
        </>
      ) : null}
      {busy ? <Text color={colour('yellow')}> │ running…{queued ? ` (+${queued} queued)` : ''}</Text> : null}
    </Text>
  );
}
