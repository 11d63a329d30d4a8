/** A step waiting on the cluster: a spinner and why it does not pass yet ("2/3 pods Running"). */
import { colour } from './colour.js';
import { Text } from 'ink';
import { useEffect, useState } from 'react';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function WaitingLine({ reason, lang }: { reason: string; lang: 'en' | 'zh' }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 120);
    return () => clearInterval(t);
  }, []);
  return (
    <Text wrap="truncate-end">
      <Text color={colour('yellow')}>{FRAMES[frame]} </Text>
      <Text dimColor>{lang === 'zh' ? '等待集群：' : 'waiting for the cluster: '}</Text>
      {reason}
    </Text>
  );
}
