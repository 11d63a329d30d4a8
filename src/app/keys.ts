/**
 * Raw terminal input → prompt actions. Ink hands us its input events (escape sequences split out,
 * plain text runs kept whole, so a paste arrives as one string); this turns each into a list of
 * actions. A pasted run with several lines gives `insert`, `submit`, `insert`, `submit`, … so the
 * lines run in order.
 */
export type KeyAction =
  | { type: 'insert'; text: string }
  | { type: 'submit' }
  | { type: 'left' } | { type: 'right' } | { type: 'home' } | { type: 'end' }
  | { type: 'word-left' } | { type: 'word-right' }
  | { type: 'backspace' } | { type: 'delete' }
  | { type: 'kill-start' } | { type: 'kill-end' } | { type: 'kill-word' }
  | { type: 'up' } | { type: 'down' }
  | { type: 'tab' }
  | { type: 'interrupt' }
  | { type: 'eof' }
  | { type: 'clear-screen' }
  | { type: 'escape' }
  /** Ctrl-R: reverse history search */
  | { type: 'search' }
  /** Ctrl-T or F2: show / hide the cluster panel */
  | { type: 'toggle-panel' };

const SEQUENCES: Record<string, KeyAction['type']> = {
  '\x1b[A': 'up', '\x1bOA': 'up',
  '\x1b[B': 'down', '\x1bOB': 'down',
  '\x1b[C': 'right', '\x1bOC': 'right',
  '\x1b[D': 'left', '\x1bOD': 'left',
  '\x1b[H': 'home', '\x1bOH': 'home', '\x1b[1~': 'home', '\x1b[7~': 'home',
  '\x1b[F': 'end', '\x1bOF': 'end', '\x1b[4~': 'end', '\x1b[8~': 'end',
  '\x1b[3~': 'delete',
  '\x1b[1;5D': 'word-left', '\x1b[1;3D': 'word-left', '\x1bb': 'word-left',
  '\x1b[1;5C': 'word-right', '\x1b[1;3C': 'word-right', '\x1bf': 'word-right',
  '\x1b\x7f': 'kill-word', '\x1b\b': 'kill-word',
  '\x1bOQ': 'toggle-panel', '\x1b[12~': 'toggle-panel',
  '\x1b': 'escape',
};

const CONTROL: Record<string, KeyAction['type']> = {
  '\r': 'submit', '\n': 'submit',
  '\x7f': 'backspace', '\b': 'backspace',
  '\x01': 'home', '\x05': 'end',
  '\x02': 'left', '\x06': 'right',
  '\x10': 'up', '\x0e': 'down',
  '\x15': 'kill-start', '\x0b': 'kill-end', '\x17': 'kill-word',
  '\t': 'tab',
  '\x03': 'interrupt', '\x04': 'eof',
  '\x0c': 'clear-screen',
  '\x12': 'search', '\x07': 'escape', '\x14': 'toggle-panel',
};

export function decodeInput(data: string): KeyAction[] {
  if (data.startsWith('\x1b')) {
    // bracketed paste markers carry no text
    if (data === '\x1b[200~' || data === '\x1b[201~') return [];
    const t = SEQUENCES[data];
    return t ? [{ type: t } as KeyAction] : [];
  }
  const out: KeyAction[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'insert', text });
    text = '';
  };
  for (let i = 0; i < data.length; i++) {
    const ch = data[i]!;
    if (ch === '\r' && data[i + 1] === '\n') continue; // CRLF: one submit (on the \n)
    const t = CONTROL[ch];
    if (t) {
      flush();
      out.push({ type: t } as KeyAction);
    } else if (ch >= ' ' || ch.charCodeAt(0) > 0x7f) {
      text += ch;
    }
  }
  flush();
  return out;
}
