/** The status line: lesson and step, the cluster, background jobs, and whether a command runs. */
import { Text } from 'ink';
import type { StatusInfo } from '../app/repl.js';

export function StatusLine({ status, busy, queued }: { status: StatusInfo; busy: boolean; queued: number }) {
  return (
    <Text wrap="truncate-end">
      <Text inverse bold> {status.lesson ?? 'sandbox mode'} </Text>
      <Text dimColor> │ </Text>
      <Text color="cyan">{status.cluster}</Text>
      {status.jobs.length ? (
        <>
          <Text dimColor> │ </Text>
          <Text color="yellow">jobs: {status.jobs.join(', ')}</Text>
          <Text dimColor> (Ctrl-C stops)</Text>
        </>
      ) : null}
      {busy ? <Text color="yellow"> │ running…{queued ? ` (+${queued} queued)` : ''}</Text> : null}
    </Text>
  );
}
