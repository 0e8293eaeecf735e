// What the models service is given: its settings and the part of the tables service it reads.
import type { TablesService } from '../tables.js';

export interface ModelsServiceOptions {
  dataDir: string;
  /** Training runs executing at once; others queue. */
  maxConcurrentRuns: number;
  /** Previously published versions whose artifacts are kept for roll back. */
  retainedVersions: number;
  /** The actor recorded in history until accounts exist. */
  user: string;
  /** Extra engines (module paths or file URLs exporting `engine`), loaded here and in every worker; they replace built-in ones of the same type. */
  engineModules?: string[];
  /** Seed of every training (same data + configuration + seed = same artifact). */
  seed?: number;
}

/** What the service needs from the tables service. */
export type TableSource = Pick<TablesService, 'get' | 'readData' | 'revisions' | 'guardDelete'>;
