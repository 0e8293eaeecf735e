// One schema migration: a stable name (sorted order = apply order) and its `up` step.
import type { Kysely } from 'kysely';

export interface Migration {
  /** e.g. '001-tables'; names sort in apply order across areas. */
  name: string;
  // Migrations run against whatever the current schema is, so they use an untyped handle.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>): Promise<void>;
}
