/**
 * Everything the interactive tutor loads before its first frame, behind one import: the bundle then
 * loads one graph of chunks at launch instead of a dozen separately imported files (each costs the
 * module loader a resolve, a read and a link). Plain mode and the other commands import less.
 */
export { TutorApp, localeLang } from './app/tutor-app.js';
export { embeddedSandbox, realCluster, offerRealCluster } from './tutor-cluster.js';
export { ReplController } from './app/repl.js';
export { History } from './app/history.js';
export { Completer } from './kubectl/complete.js';
export { runScreen } from './ui/run.js';
// loaded with the rest (embeddedSandbox imports them on demand, so `lessons` and `progress` do not)
import './sandbox/sandbox.js';
import './kubeconfig-file.js';
