export interface GoldenCase {
  /** the command under test (no leading `kubectl`) */
  cmd: string;
  /** commands run with real kubectl on both clusters first (each must succeed) */
  setup?: string[];
  /** files written into both kubectls' working directory before the setup */
  files?: Record<string, string>;
  /** standard input of the command under test (`create -f -`) */
  stdin?: string;
  /** extra environment of the command under test, for both kubectls (e.g. KUBE_EDITOR for `edit`) */
  env?: Record<string, string>;
  /** simulated milliseconds to advance after setup (pods reach Running, jobs finish …) */
  advance?: number;
  /** simulated milliseconds to advance after the command, before `then` */
  advanceAfter?: number;
  /** commands run after the command under test, with real kubectl on both clusters, compared too (checks the effect) */
  then?: string[];
}
