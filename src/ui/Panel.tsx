/**
 * The live cluster panel: <ClusterPanel> draws a PanelView (lines of toned segments made by
 * panelView) in a rounded border, the view's title set into the top border when it has one,
 * mapping each tone to a colour and nothing more;
 * <LiveClusterPanel> connects it to a ClusterWatch and redraws when the watch publishes.
 */
import { Box, Text } from 'ink';
import { useMemo, useSyncExternalStore } from 'react';
import type { ClusterWatch } from '../app/cluster-panel.js';
import { lineWidth } from '../app/panel/layout.js';
import { panelView, type PanelLine, type PanelTone, type PanelView } from '../app/panel/view.js';
import type { Lang } from '../tutor/schema.js';
import { colour } from './colour.js';

/** how each tone is drawn (colours dropped under NO_COLOR; bold and dim stay) */
function toneStyle(tone: PanelTone | undefined): { color?: string; dimColor?: boolean; bold?: boolean } {
  switch (tone) {
    case 'ok':
      return { color: colour('green') };
    case 'warn':
      return { color: colour('yellow') };
    case 'bad':
      return { color: colour('red') };
    case 'dim':
      return { dimColor: true };
    case 'head':
      return { color: colour('cyan'), bold: true };
    case 'accent':
      return { color: colour('cyan') };
    default:
      return {};
  }
}

function PanelRow({ line }: { line: PanelLine }) {
  if (!line.length) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      <Segments line={line} />
    </Text>
  );
}

function Segments({ line }: { line: PanelLine }) {
  return (
    <>
      {line.map((s, i) => (
        <Text key={i} {...toneStyle(s.tone)}>{s.text}</Text>
      ))}
    </>
  );
}

/** ╭─ title ───╮ across `width` cells (panelView leaves room for the corners) */
function TitledTopBorder({ title, width }: { title: PanelLine; width: number }) {
  const border = colour('gray');
  return (
    <Text wrap="truncate-end">
      <Text color={border}>╭─ </Text>
      <Segments line={title} />
      <Text color={border}> {'─'.repeat(Math.max(0, width - 5 - lineWidth(title)))}╮</Text>
    </Text>
  );
}

export function ClusterPanel({ view }: { view: PanelView }) {
  if (!view.lines.length) return null;
  return (
    <Box flexDirection="column" width={view.width} flexShrink={0}>
      {view.title && <TitledTopBorder title={view.title} width={view.width} />}
      {/* keyed: Ink keeps a top border's row when borderTop turns false on a mounted Box */}
      <Box key={view.title ? 'titled' : 'plain'} flexDirection="column" borderStyle="round" borderTop={!view.title} borderColor={colour('gray')} paddingX={1} width={view.width} flexShrink={0}>
        {view.lines.map((line, i) => <PanelRow key={i} line={line} />)}
      </Box>
    </Box>
  );
}

/** what the live panel reads from a ClusterWatch */
export type ClusterStore = Pick<ClusterWatch, 'subscribe' | 'getSnapshot'>;

/** the panel over a ClusterWatch, within `width` × `height` cells */
export function LiveClusterPanel({ watch, width, height, lang }: { watch: ClusterStore; width: number; height: number; lang: Lang }) {
  const state = useSyncExternalStore(watch.subscribe, watch.getSnapshot);
  const view = useMemo(() => panelView(state, { width, height, lang }), [state, width, height, lang]);
  return <ClusterPanel view={view} />;
}
