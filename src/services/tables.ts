// Table services: import, append, replace, retype, rename, delete, read rows and TableData, samples.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatheError, notFound } from '../domain/errors.js';
import type { Storage } from '../storage/open-store.js';
import { createTablesStore, nameTaken, type RevisionRow, type TableRow } from '../storage/tables/tables-store.js';
import { fitsType, typedCell } from '../tables/cells.js';
import { openCsv, type ByteSource } from '../tables/csv-reader.js';
import { ColumnStats, typeMismatch } from '../tables/infer-types.js';
import { ingestAppendCsv, ingestAppendJson, ingestNewCsv, retypeDigest, type ChunkSink, type IngestResult, type TableColumn } from '../tables/ingest.js';
import { chunkColumns, chunkRows } from '../tables/row-chunks.js';
import { COLUMN_TYPES, type ColumnType, type TableData } from '../tables/table-data.js';
import { TableDataBuilder } from '../tables/to-table-data.js';

export type { TableColumn } from '../tables/ingest.js';
export type { ByteSource } from '../tables/csv-reader.js';

export interface TableInfo {
  id: string;
  name: string;
  /** Current revision number (1 = the import). */
  revision: number;
  digest: string;
  rowCount: number;
  columns: TableColumn[];
  createdAt: string;
  updatedAt: string;
}

export interface RevisionInfo {
  revision: number;
  kind: 'import' | 'append' | 'replace' | 'retype';
  rowCount: number;
  rowsAdded: number;
  digest: string;
  columns: TableColumn[];
  createdAt: string;
}

export type CellValue = string | number | boolean | null;

export interface RowsPage {
  tableId: string;
  revision: number;
  offset: number;
  limit: number;
  /** Rows in the revision. */
  total: number;
  columns: TableColumn[];
  /** Typed values in column order: numbers, booleans, ISO date strings, strings; null = missing. */
  rows: CellValue[][];
}

export interface Progress {
  /** Bytes of the input read so far. */
  bytes: number;
  rows: number;
}

export interface PreviewResult {
  delimiter: string;
  columns: { name: string; type: ColumnType }[];
  /** The first rows as raw strings. */
  rows: string[][];
}

/** A writer that stops showing life (one heartbeat per chunk) for this long is taken to have crashed. */
const LOCK_STALE_MS = 10 * 60_000;
export const MAX_PAGE_ROWS = 1_000;
const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

function newTableId(): string {
  return 'tbl_' + randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10).toLowerCase();
}

/** Names are trimmed; 1-100 characters. */
export function checkTableName(name: string): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 100) {
    throw new LatheError('INVALID_INPUT', `A table name must have 1 to 100 characters (this one has ${n.length}).`, { field: 'name' });
  }
  return n;
}

function checkColumnTypes(types: Record<string, string> | undefined): Record<string, ColumnType> | undefined {
  if (!types) return undefined;
  for (const [name, type] of Object.entries(types)) {
    if (!COLUMN_TYPES.includes(type as ColumnType)) {
      throw new LatheError('INVALID_INPUT', `Column "${name}": "${type}" is not a column type. Use one of: ${COLUMN_TYPES.join(', ')}.`, { column: name });
    }
  }
  return types as Record<string, ColumnType>;
}

function info(t: TableRow, r: RevisionRow): TableInfo {
  return {
    id: t.id,
    name: t.name,
    revision: r.revision,
    digest: r.digest,
    rowCount: r.row_count,
    columns: JSON.parse(r.columns) as TableColumn[],
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}

function revisionInfo(r: RevisionRow): RevisionInfo {
  return {
    revision: r.revision,
    kind: r.kind as RevisionInfo['kind'],
    rowCount: r.row_count,
    rowsAdded: r.rows_added,
    digest: r.digest,
    columns: JSON.parse(r.columns) as TableColumn[],
    createdAt: r.created_at,
  };
}

export function createTablesService(storage: Storage) {
  const store = createTablesStore(storage.db);
  /** In-process queue per table, so writers of one server wait for each other instead of conflicting. */
  const queues = new Map<string, Promise<unknown>>();
  const now = () => new Date().toISOString();
  const deleteGuards: ((table: { id: string; name: string }) => Promise<void> | void)[] = [];

  async function current(tableId: string): Promise<{ table: TableRow; rev: RevisionRow }> {
    const table = await store.getTable(tableId);
    if (!table) throw notFound('Table', tableId);
    const rev = await store.getRevision(tableId, table.current_revision);
    if (!rev) throw notFound('Table', tableId);
    return { table, rev };
  }

  async function removeStalePending(): Promise<void> {
    const stale = await store.stalePending(new Date(Date.now() - LOCK_STALE_MS).toISOString());
    for (const id of stale) await store.deleteTable(id);
  }

  /** A sink writing chunks of one set, starting at `seq`, with a heartbeat per chunk. */
  function chunkSink(tableId: string, setId: number, firstSeq: number, token: string, onChunk: () => void) {
    let seq = firstSeq;
    const sink: ChunkSink = async (chunk) => {
      await store.insertChunk({ table_id: tableId, set_id: setId, seq: seq++, first_row: chunk.firstRow, row_count: chunk.rowCount, data: chunk.data });
      await store.heartbeat(tableId, token, now());
      onChunk();
    };
    return { sink, chunkCount: () => seq };
  }

  /** Runs `fn` holding the table's write lock (in this process and in the database). */
  async function withWriteLock<T>(tableId: string, fn: (token: string, table: TableRow, rev: RevisionRow) => Promise<T>): Promise<T> {
    const previous = queues.get(tableId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const { table, rev } = await current(tableId);
      const token = randomUUID();
      const stale = new Date(Date.now() - LOCK_STALE_MS).toISOString();
      if (!(await store.acquireLock(tableId, token, now(), stale))) {
        throw new LatheError('CONFLICT', `Table "${table.name}" is being changed by another import or append. Try again when it has finished.`, { tableId });
      }
      try {
        return await fn(token, table, rev);
      } catch (e) {
        await store.discardUncommitted(tableId);
        throw e;
      } finally {
        await store.releaseLock(tableId, token);
      }
    });
    queues.set(tableId, run);
    try {
      return await run;
    } finally {
      if (queues.get(tableId) === run) queues.delete(tableId);
    }
  }

  async function get(tableId: string): Promise<TableInfo> {
    const { table, rev } = await current(tableId);
    return info(table, rev);
  }

  async function revisionRow(tableId: string, revision?: number): Promise<RevisionRow> {
    const { rev } = await current(tableId);
    if (revision === undefined || revision === rev.revision) return rev;
    const r = await store.getRevision(tableId, revision);
    if (!r) throw new LatheError('NOT_FOUND', `Table ${tableId} has no revision ${revision} (its latest is ${rev.revision}).`, { what: 'Revision', id: revision });
    return r;
  }

  async function uniqueName(base: string): Promise<string> {
    const taken = new Set((await store.listTables()).map((t) => t.table.name));
    const b = checkTableName(base).slice(0, 90);
    if (!taken.has(b)) return b;
    for (let i = 2; ; i++) if (!taken.has(`${b} (${i})`)) return `${b} (${i})`;
  }

  const service = {
    /**
     * Creates a table from a CSV/TSV byte stream in bounded memory (chunk by chunk). The table stays
     * invisible ('pending') until every row is stored; on any failure it is removed.
     * A given `name` must be free (CONFLICT otherwise: a user who typed a name gets an error, not a
     * silently different name); without one, `defaultName` (e.g. the file name) is made unique with a
     * " (2)" suffix.
     */
    async importCsv(input: {
      source: ByteSource;
      name?: string;
      defaultName?: string;
      columnTypes?: Record<string, string>;
      onProgress?: (p: Progress) => void;
    }): Promise<TableInfo> {
      const columnTypes = checkColumnTypes(input.columnTypes);
      await removeStalePending();
      const name = input.name !== undefined ? checkTableName(input.name) : await uniqueName(input.defaultName ?? 'Table');
      const id = newTableId();
      const token = randomUUID();
      const at = now();
      await store.insertPending({ id, name, now: at, token });
      try {
        const reader = await openCsv(input.source);
        let rows = 0;
        const report = () => input.onProgress?.({ bytes: reader.bytesRead(), rows });
        const chunks = chunkSink(id, 1, 0, token, report);
        const result = await ingestNewCsv(reader, {
          columnTypes,
          sink: chunks.sink,
          onRows: (n) => {
            rows = n;
            report();
          },
        });
        await store.commitRevision(revisionRecord(id, 1, 'import', 1, chunks.chunkCount(), result.rowCount, result, at), token, at);
        return await get(id);
      } catch (e) {
        await store.deleteTable(id);
        throw e;
      }
    },

    /** First rows and inferred column types of a file, without saving anything (the import wizard). */
    async preview(source: ByteSource, options: { rows?: number } = {}): Promise<PreviewResult> {
      const want = Math.max(1, Math.min(options.rows ?? 20, 1000));
      const reader = await openCsv(source);
      const stats = reader.header.map((n) => new ColumnStats(n));
      const rows: string[][] = [];
      // Types are inferred from up to 1,000 rows; the full import may still decide differently.
      const sample = Math.max(want, 1000);
      let seen = 0;
      outer: for await (const batch of reader.batches) {
        for (let i = 0; i < batch.rows.length; i++) {
          const row = batch.rows[i];
          row.forEach((v, c) => stats[c].add(v, batch.lines[i]));
          if (rows.length < want) rows.push(row);
          if (++seen >= sample) break outer;
        }
      }
      await reader.batches.return(undefined);
      return { delimiter: reader.delimiter, columns: stats.map((s) => ({ name: s.name, type: s.inferredType() })), rows };
    },

    /** Appends rows from a CSV whose header names the table's columns (any order, missing ones empty). */
    async appendCsv(tableId: string, source: ByteSource, options: { onProgress?: (p: Progress) => void } = {}): Promise<TableInfo> {
      return withWriteLock(tableId, async (token, _table, rev) => {
        const reader = await openCsv(source);
        let rows = 0;
        const report = () => options.onProgress?.({ bytes: reader.bytesRead(), rows });
        const chunks = chunkSink(tableId, rev.set_id, rev.chunk_count, token, report);
        const result = await ingestAppendCsv(reader, target(rev), {
          sink: chunks.sink,
          onRows: (n) => {
            rows = n;
            report();
          },
        });
        return commitAppend(tableId, rev, token, chunks.chunkCount(), result);
      });
    },

    /** Appends rows given as objects keyed by column name (see ingestAppendJson for the rules). */
    async appendRows(tableId: string, items: unknown[]): Promise<TableInfo> {
      return withWriteLock(tableId, async (token, _table, rev) => {
        const chunks = chunkSink(tableId, rev.set_id, rev.chunk_count, token, () => {});
        const result = await ingestAppendJson(items, target(rev), { sink: chunks.sink });
        return commitAppend(tableId, rev, token, chunks.chunkCount(), result);
      });
    },

    /** Replaces all rows (and columns) with a new file: a new revision reading a new chunk set; old revisions stay readable. */
    async replaceCsv(
      tableId: string,
      source: ByteSource,
      options: { columnTypes?: Record<string, string>; onProgress?: (p: Progress) => void } = {},
    ): Promise<TableInfo> {
      const columnTypes = checkColumnTypes(options.columnTypes);
      return withWriteLock(tableId, async (token, _table, rev) => {
        const reader = await openCsv(source);
        const revision = rev.revision + 1;
        let rows = 0;
        const report = () => options.onProgress?.({ bytes: reader.bytesRead(), rows });
        const chunks = chunkSink(tableId, revision, 0, token, report);
        const result = await ingestNewCsv(reader, {
          columnTypes,
          sink: chunks.sink,
          onRows: (n) => {
            rows = n;
            report();
          },
        });
        const at = now();
        await store.commitRevision(revisionRecord(tableId, revision, 'replace', revision, chunks.chunkCount(), result.rowCount, result, at), token, at);
        return get(tableId);
      });
    },

    /** Renames the table and/or changes column types (a new revision with the same rows; every value must fit). */
    async update(tableId: string, patch: { name?: string; columnTypes?: Record<string, string> }): Promise<TableInfo> {
      const types = checkColumnTypes(patch.columnTypes);
      const name = patch.name === undefined ? undefined : checkTableName(patch.name);
      await current(tableId);
      // A taken name is refused before any type change, so a refused request changes nothing.
      if (name !== undefined && (await store.listTables()).some((t) => t.table.name === name && t.table.id !== tableId)) throw nameTaken(name);
      if (types && Object.keys(types).length > 0) {
        await withWriteLock(tableId, async (token, _table, rev) => {
          const columns = JSON.parse(rev.columns) as TableColumn[];
          const byName = new Map(columns.map((c, i) => [c.name, i]));
          const changed: number[] = [];
          for (const [name, type] of Object.entries(types)) {
            const i = byName.get(name);
            if (i === undefined) {
              throw new LatheError('INVALID_INPUT', `There is no column "${name}" to set a type for. Columns: ${columns.map((c) => c.name).join(', ')}.`, {
                column: name,
              });
            }
            if (columns[i].type !== type) changed.push(i);
          }
          if (changed.length === 0) return;
          const next = columns.map((c) => ({ ...c, type: types[c.name] ?? c.type }));
          await forEachChunk(tableId, rev, (rows, firstRow) => {
            for (const c of changed) {
              const col = next[c];
              for (let r = 0; r < rows.length; r++) {
                if (!fitsType(col.type, rows[r][c])) throw typeMismatch(col.name, col.type, firstRow + r + 1, rows[r][c]);
              }
            }
          });
          const at = now();
          await store.commitRevision(
            {
              table_id: tableId,
              revision: rev.revision + 1,
              kind: 'retype',
              set_id: rev.set_id,
              chunk_count: rev.chunk_count,
              row_count: rev.row_count,
              rows_added: 0,
              columns: JSON.stringify(next),
              digest: retypeDigest(rev.digest, next),
              created_at: at,
            },
            token,
            at,
          );
        });
      }
      // Renamed last, so a refused type change leaves the name as it was too.
      if (name !== undefined && name !== (await current(tableId)).table.name) await store.rename(tableId, name, now());
      return get(tableId);
    },

    async list(): Promise<TableInfo[]> {
      return (await store.listTables()).map((r) => info(r.table, r.revision));
    },

    get,

    async revisions(tableId: string): Promise<RevisionInfo[]> {
      await current(tableId);
      return (await store.listRevisions(tableId)).map(revisionInfo);
    },

    /** A page of typed rows of a revision (default: the current one). */
    async rows(tableId: string, options: { offset?: number; limit?: number; revision?: number } = {}): Promise<RowsPage> {
      const offset = Math.max(0, Math.floor(options.offset ?? 0));
      const limit = Math.max(0, Math.min(MAX_PAGE_ROWS, Math.floor(options.limit ?? 100)));
      const rev = await revisionRow(tableId, options.revision);
      const columns = JSON.parse(rev.columns) as TableColumn[];
      const out: CellValue[][] = [];
      if (limit > 0 && offset < rev.row_count) {
        const chunks = await store.chunksCovering(tableId, rev.set_id, rev.chunk_count, offset, limit);
        for (const ch of chunks) {
          const rows = chunkRows(ch.data);
          const from = Math.max(0, offset - ch.first_row);
          const to = Math.min(rows.length, offset + limit - ch.first_row);
          for (let r = from; r < to; r++) out.push(rows[r].map((raw, c) => typedCell(columns[c].type, raw)));
        }
      }
      return { tableId, revision: rev.revision, offset, limit, total: rev.row_count, columns, rows: out };
    },

    /** The whole revision (default: current) as columnar TableData, for training and prediction. */
    async readData(tableId: string, revision?: number): Promise<TableData> {
      const { table } = await current(tableId);
      const rev = await revisionRow(tableId, revision);
      const columns = JSON.parse(rev.columns) as TableColumn[];
      const builder = new TableDataBuilder(columns, rev.row_count);
      for (let from = 0; from < rev.chunk_count; from += 8) {
        const chunks = await store.chunks(tableId, rev.set_id, from, Math.min(rev.chunk_count, from + 8));
        for (const ch of chunks) builder.addColumns(chunkColumns(ch.data, columns.length), ch.first_row);
      }
      return builder.build({ tableId, name: table.name, revision: rev.revision, digest: rev.digest });
    },

    /**
     * Deletes the table and every revision, unless a delete guard refuses (the models area registers
     * one that throws a clear CONFLICT while a model uses the table).
     */
    async delete(tableId: string): Promise<void> {
      const { table } = await current(tableId);
      for (const guard of deleteGuards) await guard({ id: table.id, name: table.name });
      await store.deleteTable(tableId);
    },

    /** Registers a check run before every delete; it throws (e.g. LatheError CONFLICT) to refuse. */
    guardDelete(guard: (table: { id: string; name: string }) => Promise<void> | void): void {
      deleteGuards.push(guard);
    },

    /** On a database without tables, imports the sample tables shipped in samples/ (see samples/README.md). */
    async importSamplesIfEmpty(samplesDir = SAMPLES_DIR): Promise<TableInfo[]> {
      if ((await store.countTables()) > 0) return [];
      const manifest = join(samplesDir, 'samples.json');
      if (!existsSync(manifest)) return [];
      const entries = JSON.parse(readFileSync(manifest, 'utf8')) as { file: string; name: string; columnTypes?: Record<string, string> }[];
      const imported: TableInfo[] = [];
      for (const e of entries) {
        try {
          imported.push(await service.importCsv({ source: createReadStream(join(samplesDir, e.file)), name: e.name, columnTypes: e.columnTypes }));
        } catch (err) {
          // Another process seeding the same database at the same moment: its copy is as good as ours.
          if (!(err instanceof LatheError && err.code === 'CONFLICT')) throw err;
        }
      }
      return imported;
    },
  };

  function target(rev: RevisionRow) {
    return { columns: JSON.parse(rev.columns) as TableColumn[], rowCount: rev.row_count, digest: rev.digest };
  }

  async function commitAppend(tableId: string, rev: RevisionRow, token: string, chunkCount: number, result: IngestResult): Promise<TableInfo> {
    if (result.rowCount === 0) throw new LatheError('INVALID_DATA', 'There are no rows to append.', { row: null, column: null });
    const at = now();
    await store.commitRevision(
      {
        ...revisionRecord(tableId, rev.revision + 1, 'append', rev.set_id, chunkCount, rev.row_count + result.rowCount, result, at),
      },
      token,
      at,
    );
    return get(tableId);
  }

  async function forEachChunk(tableId: string, rev: RevisionRow, fn: (rows: string[][], firstRow: number) => void): Promise<void> {
    // A few chunks per query: bounded memory, few round trips.
    for (let from = 0; from < rev.chunk_count; from += 8) {
      const chunks = await store.chunks(tableId, rev.set_id, from, Math.min(rev.chunk_count, from + 8));
      for (const ch of chunks) fn(chunkRows(ch.data), ch.first_row);
    }
  }

  return service;
}

function revisionRecord(
  tableId: string,
  revision: number,
  kind: RevisionInfo['kind'],
  setId: number,
  chunkCount: number,
  rowCount: number,
  result: IngestResult,
  at: string,
): RevisionRow {
  return {
    table_id: tableId,
    revision,
    kind,
    set_id: setId,
    chunk_count: chunkCount,
    row_count: rowCount,
    rows_added: result.rowCount,
    columns: JSON.stringify(result.columns),
    digest: result.digest,
    created_at: at,
  };
}

export type TablesService = ReturnType<typeof createTablesService>;
