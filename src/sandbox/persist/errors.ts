/**
 * Errors the state dir can raise at startup. Each message is meant to be printed as-is to the
 * user by the CLI (it says what is wrong and what to do about it).
 */

export type StateDirErrorCode =
  /** another live process holds the dir's lock */
  | 'LOCKED'
  /** damaged files (bad checksum in the middle of a file, missing segment, unreadable snapshot) */
  | 'CORRUPT'
  /** written by a newer kube-tutor */
  | 'NEWER_FORMAT';

const RESET_HINT =
  'Run `kube-tutor serve --reset` to delete the saved cluster and start from an empty one, ' +
  'or `kube-tutor serve --ephemeral` to run without saving anything.';

export class StateDirError extends Error {
  override name = 'StateDirError';
  constructor(
    readonly code: StateDirErrorCode,
    readonly dir: string,
    message: string,
  ) {
    super(message);
  }

  static locked(dir: string, pid: number, host: string | undefined, lockFile: string): StateDirError {
    const who = host ? `pid ${pid} on host ${host}` : `pid ${pid}`;
    return new StateDirError(
      'LOCKED',
      dir,
      `The sandbox state dir ${dir} is in use by another kube-tutor process (${who}). ` +
        `Stop that process first, or run with --ephemeral. ` +
        `If you are sure no such process is running, delete ${lockFile}.`,
    );
  }

  static corrupt(dir: string, detail: string): StateDirError {
    return new StateDirError(
      'CORRUPT',
      dir,
      `The saved sandbox state in ${dir} is damaged and cannot be loaded (${detail}). ${RESET_HINT}`,
    );
  }

  static newerFormat(dir: string, found: number, supported: number): StateDirError {
    return new StateDirError(
      'NEWER_FORMAT',
      dir,
      `The saved sandbox state in ${dir} was written by a newer kube-tutor (state format ${found}; ` +
        `this version reads format ${supported}). Upgrade kube-tutor, or: ${RESET_HINT}`,
    );
  }
}
