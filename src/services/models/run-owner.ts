// Which process owns a run: this one, a live neighbour on the same data folder, or a crashed one.
import { hostname } from 'node:os';

/** This process, as recorded on the runs it executes. */
export const OWNER = `${hostname()}:${process.pid}`;

/**
 * Whether the process that owns a run is still alive (another process on this host using the same
 * data folder, e.g. the CLI beside a server). A run of this very process, of another host (a
 * restarted container gets a new name) or of a dead process was left behind by a crash.
 */
export function ownerAlive(owner: string | null): boolean {
  if (!owner || owner === OWNER) return false;
  const at = owner.lastIndexOf(':');
  if (owner.slice(0, at) !== hostname()) return false;
  try {
    process.kill(Number(owner.slice(at + 1)), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
