/** Types of scripts/tmux-driver.mjs (plain JS, shared by the e2e tests and scripts/capture-screens.mjs). */

export interface StartOptions {
  /** the program and its arguments, run directly (no shell) */
  argv: string[];
  cols: number;
  rows: number;
  /** merged over the current environment; `undefined` removes a variable */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface PaneState {
  dead: boolean;
  /** null while the program runs */
  exitStatus: number | null;
  alternateScreen: boolean;
  cursorVisible: boolean;
  cursorX: number;
  cursorY: number;
  mouseReporting: boolean;
  applicationCursorKeys: boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export declare function tmuxAvailable(): boolean;
export declare function startTmux(o: StartOptions): Promise<TmuxSession>;

export declare class TmuxSession {
  readonly pane: string;
  type(text: string): Promise<void>;
  press(...keys: string[]): Promise<void>;
  submit(text: string, o?: WaitOptions): Promise<void>;
  capture(o?: { history?: boolean }): Promise<string>;
  waitFor(re: RegExp, o?: WaitOptions & { history?: boolean }): Promise<string>;
  settle(o?: WaitOptions & { quietMs?: number }): Promise<string>;
  waitForExit(o?: WaitOptions): Promise<number | null>;
  state(): Promise<PaneState>;
  panePid(): Promise<number>;
  kill(): Promise<void>;
}
