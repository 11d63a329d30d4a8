/**
 * panelView: the cluster panel as lines of coloured segments for a given terminal budget — pure,
 * so it is tested without a cluster or a terminal. A title names the namespace (and says when
 * the cluster cannot be reached); below it the three pictures side by side in columns on wide
 * terminals (two from 100 cells, three from 150) and stacked otherwise. When everything fits in
 * full the title is the first line; when not, it moves into the top border to save a row and
 * each column drops to the compact form as levels.ts decides.
 */
import type { Lang } from '../../tutor/schema.js';
import { moreText, word } from './labels.js';
import { clipLine, padLine, type PanelLine } from './layout.js';
import { fitColumn, fitsInFull } from './levels.js';
import { controllersSection, nodesSection, servicesSection, type Section, type SectionOptions } from './sections.js';
import type { ClusterState } from './state.js';

export type { PanelLine, PanelTone, Segment } from './layout.js';

export interface PanelViewOptions {
  /** cells the whole panel may take, border included */
  width: number;
  /** rows the whole panel may take, border included */
  height: number;
  lang: Lang;
}

export interface PanelView {
  /** the panel's outer width (border and one cell of padding each side around the lines) */
  width: number;
  /** the title to draw in the top border, when it is not the first of `lines` (space was tight) */
  title?: PanelLine;
  /** the lines inside the border; empty when the budget is too small to draw */
  lines: PanelLine[];
}

/** border (1) + padding (1) on each side */
const FRAME_WIDTH = 4;
/** top and bottom border */
const FRAME_HEIGHT = 2;
const SEPARATOR = ' │ ';
/** a title in the top border: "╭─ " before it, at least " ─╮" after */
const BORDER_TITLE_FRAME = 6;

type SectionBuilder = (state: ClusterState, o: SectionOptions) => Section;

/** which sections go in which column, by how many columns fit */
function columnPlan(width: number): SectionBuilder[][] {
  if (width >= 150) return [[nodesSection], [controllersSection], [servicesSection]];
  if (width >= 100) return [[nodesSection], [controllersSection, servicesSection]];
  return [[nodesSection, controllersSection, servicesSection]];
}

function header(state: ClusterState, lang: Lang): PanelLine {
  const line: PanelLine = [
    { text: word('cluster', lang), tone: 'head' },
    { text: ` · ${word('namespace', lang)} `, tone: 'dim' },
    { text: state.namespace, tone: 'accent' },
  ];
  if (state.error) line.push({ text: ` · ${word('error', lang)}: `, tone: 'bad' }, { text: state.error, tone: 'dim' });
  return line;
}

export function panelView(state: ClusterState, o: PanelViewOptions): PanelView {
  const inner = o.width - FRAME_WIDTH;
  const rows = o.height - FRAME_HEIGHT;
  if (inner < 8 || rows < 1) return { width: o.width, lines: [] };
  const plan = columnPlan(o.width);
  const sepWidth = SEPARATOR.length;
  const colWidth = Math.floor((inner - sepWidth * (plan.length - 1)) / plan.length);
  const widths = plan.map((_, i) => (i === plan.length - 1 ? inner - (colWidth + sepWidth) * (plan.length - 1) : colWidth));
  const more = (n: number): PanelLine => [{ text: moreText(n, o.lang), tone: 'dim' }];
  const sections = plan.map((builders, i) => builders.map((build) => build(state, { width: widths[i]!, lang: o.lang })));
  const roomy = sections.every((column) => fitsInFull(column, rows - 1));
  const columns = sections.map((column) => fitColumn(column, roomy ? rows - 1 : rows, more));
  const height = Math.max(0, ...columns.map((c) => c.length));
  const body: PanelLine[] = [];
  for (let r = 0; r < height; r++) {
    const line: PanelLine = [];
    columns.forEach((col, i) => {
      const last = i === columns.length - 1;
      line.push(...(last ? clipLine(col[r] ?? [], widths[i]!) : padLine(col[r] ?? [], widths[i]!)));
      if (!last) line.push({ text: SEPARATOR, tone: 'dim' });
    });
    body.push(line);
  }
  if (roomy) return { width: o.width, lines: [clipLine(header(state, o.lang), inner), ...body] };
  return { width: o.width, title: clipLine(header(state, o.lang), o.width - BORDER_TITLE_FRAME), lines: body };
}
