// SQL of the tables area: tables, revisions and immutable row chunks. No business rules live here.
import type { Kysely } from 'kysely';
import { LatheError } from '../../domain/errors.js';
import type { DB } from '../schema.js';
import type { TablesSchema } from './schema.js';

export type TableRow = TablesSchema['lathe_tables'];
export type RevisionRow = TablesSchema['lathe_table_revisions'];
export type ChunkRow = TablesSchema['lathe_table_chunks'];

/** A unique-constraint failure: SQLite's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, PostgreSQL's 23505. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (/CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(code) || code === '23505');
}

export function nameTaken(name: string): LatheError {
  return new LatheError('CONFLICT', `A table named "${name}" already exists. Choose another name.`, { name });
}

async function discardUncommitted(db: Kysely<DB>, tableId: string): Promise<void> {
  const t = await db.selectFrom('lathe_tables').select('current_revision').where('id', '=', tableId).executeTakeFirst();
  if (!t) return;
  const rev = await db
    .selectFrom('lathe_table_revisions')
    .select(['set_id', 'chunk_count'])
    .where('table_id', '=', tableId)
    .where('revision', '=', t.current_revision)
    .executeTakeFirst();
  if (!rev) return;
  await db
    .deleteFrom('lathe_table_chunks')
    .where('table_id', '=', tableId)
    .where((eb) => eb.or([eb('set_id', '>', t.current_revision), eb.and([eb('set_id', '=', rev.set_id), eb('seq', '>=', rev.chunk_count)])]))
    .execute();
}

export function createTablesStore(db: Kysely<DB>) {
  return {
    /** Inserts a table in state 'pending', locked by `token` (its import). */
    async insertPending(t: { id: string; name: string; now: string; token: string }): Promise<void> {
      try {
        await db
          .insertInto('lathe_tables')
          .values({ id: t.id, name: t.name, state: 'pending', current_revision: 0, created_at: t.now, updated_at: t.now, lock_token: t.token, lock_at: t.now })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken(t.name);
        throw e;
      }
    },

    async insertChunk(c: ChunkRow): Promise<void> {
      await db.insertInto('lathe_table_chunks').values(c).execute();
    },

    /** Shows the lock holder is alive (called once per chunk). */
    async heartbeat(tableId: string, token: string, now: string): Promise<void> {
      await db.updateTable('lathe_tables').set({ lock_at: now }).where('id', '=', tableId).where('lock_token', '=', token).execute();
    },

    /**
     * Takes the table's write lock unless a live writer holds it. Leftover chunks of a crashed writer
     * (past the current revision's chunk list) are removed so the new writer's chunk numbers are free.
     */
    async acquireLock(tableId: string, token: string, now: string, staleBefore: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('lathe_tables')
          .set({ lock_token: token, lock_at: now })
          .where('id', '=', tableId)
          .where('state', '=', 'ready')
          .where((eb) => eb.or([eb('lock_token', 'is', null), eb('lock_at', '<', staleBefore)]))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await discardUncommitted(trx, tableId);
        return true;
      });
    },

    /** Removes chunks written by a writer that failed (past the current revision's chunk list). */
    async discardUncommitted(tableId: string): Promise<void> {
      await db.transaction().execute((trx) => discardUncommitted(trx, tableId));
    },

    async releaseLock(tableId: string, token: string): Promise<void> {
      await db.updateTable('lathe_tables').set({ lock_token: null, lock_at: null }).where('id', '=', tableId).where('lock_token', '=', token).execute();
    },

    /** Records a new revision and makes it current, atomically; the writer's lock is released. */
    async commitRevision(rev: RevisionRow, token: string, now: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('lathe_tables')
          .set({ current_revision: rev.revision, state: 'ready', updated_at: now, lock_token: null, lock_at: null })
          .where('id', '=', rev.table_id)
          .where('lock_token', '=', token)
          .where('current_revision', '=', rev.revision - 1)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) {
          throw new LatheError('CONFLICT', 'The table was changed by another request while this one ran. Reload it and try again.', {
            tableId: rev.table_id,
          });
        }
        await trx.insertInto('lathe_table_revisions').values(rev).execute();
      });
    },

    /** Removes a table with all its revisions and chunks. */
    async deleteTable(tableId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('lathe_table_chunks').where('table_id', '=', tableId).execute();
        await trx.deleteFrom('lathe_table_revisions').where('table_id', '=', tableId).execute();
        await trx.deleteFrom('lathe_tables').where('id', '=', tableId).execute();
      });
    },

    /** Ids of pending tables whose import stopped showing life (a crashed process). */
    async stalePending(staleBefore: string): Promise<string[]> {
      const rows = await db
        .selectFrom('lathe_tables')
        .select('id')
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('lock_at', 'is', null), eb('lock_at', '<', staleBefore)]))
        .execute();
      return rows.map((r) => r.id);
    },

    async rename(tableId: string, name: string, now: string): Promise<void> {
      try {
        await db.updateTable('lathe_tables').set({ name, updated_at: now }).where('id', '=', tableId).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken(name);
        throw e;
      }
    },

    async getTable(tableId: string): Promise<TableRow | undefined> {
      return db.selectFrom('lathe_tables').selectAll().where('id', '=', tableId).where('state', '=', 'ready').executeTakeFirst();
    },

    async listTables(): Promise<{ table: TableRow; revision: RevisionRow }[]> {
      const rows = await db
        .selectFrom('lathe_tables as t')
        .innerJoin('lathe_table_revisions as r', (j) => j.onRef('r.table_id', '=', 't.id').onRef('r.revision', '=', 't.current_revision'))
        .selectAll('r')
        .select(['t.id', 't.name', 't.state', 't.current_revision', 't.created_at as t_created_at', 't.updated_at', 't.lock_token', 't.lock_at'])
        .where('t.state', '=', 'ready')
        .orderBy('t.created_at')
        .orderBy('t.id')
        .execute();
      return rows.map((r) => ({
        table: {
          id: r.id,
          name: r.name,
          state: r.state,
          current_revision: r.current_revision,
          created_at: r.t_created_at,
          updated_at: r.updated_at,
          lock_token: r.lock_token,
          lock_at: r.lock_at,
        },
        revision: {
          table_id: r.table_id,
          revision: r.revision,
          kind: r.kind,
          set_id: r.set_id,
          chunk_count: r.chunk_count,
          row_count: r.row_count,
          rows_added: r.rows_added,
          columns: r.columns,
          digest: r.digest,
          created_at: r.created_at,
        },
      }));
    },

    async countTables(): Promise<number> {
      const r = await db.selectFrom('lathe_tables').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async getRevision(tableId: string, revision: number): Promise<RevisionRow | undefined> {
      return db.selectFrom('lathe_table_revisions').selectAll().where('table_id', '=', tableId).where('revision', '=', revision).executeTakeFirst();
    },

    async listRevisions(tableId: string): Promise<RevisionRow[]> {
      return db.selectFrom('lathe_table_revisions').selectAll().where('table_id', '=', tableId).orderBy('revision', 'desc').execute();
    },

    /** Chunks seq from..to-1 of a set, in order. */
    async chunks(tableId: string, setId: number, from: number, to: number): Promise<ChunkRow[]> {
      return db
        .selectFrom('lathe_table_chunks')
        .selectAll()
        .where('table_id', '=', tableId)
        .where('set_id', '=', setId)
        .where('seq', '>=', from)
        .where('seq', '<', to)
        .orderBy('seq')
        .execute();
    },

    /** The chunks (among the first chunkCount of the set) that hold rows offset..offset+limit-1. */
    async chunksCovering(tableId: string, setId: number, chunkCount: number, offset: number, limit: number): Promise<ChunkRow[]> {
      return db
        .selectFrom('lathe_table_chunks')
        .selectAll()
        .where('table_id', '=', tableId)
        .where('set_id', '=', setId)
        .where('seq', '<', chunkCount)
        .where('first_row', '<', offset + limit)
        .where((eb) => eb(eb('first_row', '+', eb.ref('row_count')), '>', offset))
        .orderBy('seq')
        .execute();
    },
  };
}

export type TablesStore = ReturnType<typeof createTablesStore>;
