// Settings of one Lathe instance, read from flags or environment by the CLI.
import { availableParallelism } from 'node:os';
import type { StorageConfig } from '../storage/open-store.js';

export interface LatheOptions extends StorageConfig {
  /** Training runs executing at once; others queue. Default: one per core. */
  maxConcurrentRuns?: number;
  /** Previously published versions whose artifacts are kept for roll back. */
  retainedVersions?: number;
  /** Name recorded as the owner / actor of actions until accounts exist. */
  user?: string;
  /** Import the sample tables of samples/ when the database has no tables (`lathe serve` sets it; tests do not). */
  samples?: boolean;
}

export function withDefaults(options: LatheOptions): Required<Omit<LatheOptions, 'databaseUrl'>> & { databaseUrl?: string } {
  return {
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    maxConcurrentRuns: options.maxConcurrentRuns ?? Math.max(1, availableParallelism()),
    retainedVersions: options.retainedVersions ?? 3,
    user: options.user ?? 'local',
    samples: options.samples ?? false,
  };
}
