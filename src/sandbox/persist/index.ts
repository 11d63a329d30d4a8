/** Durable storage of the sandbox's objects (see state-log.ts for the format and guarantees). */
export {
  DEFAULT_COMPACT_AFTER_BYTES,
  EphemeralLog,
  STATE_FORMAT,
  StateLog,
  openDurableLog,
  type DurableLog,
  type Loaded,
  type LogRecord,
  type StateLogOptions,
  type StateLogStats,
} from './state-log.js';
export { StateDirError, type StateDirErrorCode } from './errors.js';
