import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * One process owns a PGlite data folder: PGlite has no server to share it, and two
 * processes on one folder lose acknowledged writes and send every email twice.
 *
 * The owner holds an exclusive OS lock on `cadenza.lock` in the folder (an
 * open-file-description lock on Linux, flock on macOS, LockFileEx on Windows), which
 * the kernel drops when the process ends however it ends, so a crash leaves no stale
 * lock to clear and no pid to guess about. The file also names the owner's pid for
 * the message others get. It is never deleted: deleting a lock file races with a
 * process that has just opened it.
 */
export const LOCK_FILE = 'cadenza.lock';

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly owner: string) {
    super(`the embedded database in ${dataDir} is in use by another cadenza process (${owner})`);
  }
}

export interface DataDirLock {
  release(): void;
}

type TryLock = (fd: number) => boolean;

// A native addon (prebuilt for Linux, macOS and Windows); loaded lazily so that a
// platform without a prebuild still runs, with a warning, rather than not at all.
let tryLock: TryLock | Error | undefined;
function loadTryLock(): TryLock | Error {
  if (tryLock === undefined) {
    try {
      tryLock = (createRequire(import.meta.url)('fs-native-extensions') as { tryLock: TryLock }).tryLock;
    } catch (e) {
      tryLock = e instanceof Error ? e : new Error(String(e));
    }
  }
  return tryLock;
}

/**
 * Creates the folder if needed and takes it for this process, or throws
 * DataDirInUseError without writing anything when another process holds it.
 */
export function lockDataDir(dataDir: string, owner: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  // No O_TRUNC: the owner's pid must stay readable until we hold the lock.
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
  const lock = loadTryLock();
  if (lock instanceof Error) {
    console.error(`cadenza: cannot lock ${dir} on this platform (${lock.message}); make sure no other process opens it`);
  } else if (!lock(fd)) {
    closeSync(fd);
    throw new DataDirInUseError(dir, describeOwner(path));
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${JSON.stringify({ pid: process.pid, command: owner, since: new Date().toISOString() })}\n`, 0);
  // The fd stays open for the life of the lock: closing it is what releases it.
  return { release: () => closeSync(fd) };
}

function describeOwner(path: string): string {
  try {
    const { pid, command, since } = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; command: string; since: string };
    return `pid ${pid}, ${command}, since ${since}`;
  } catch {
    return 'pid unknown: it is still starting'; // it holds the lock but has not written its pid yet
  }
}
