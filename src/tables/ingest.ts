// Turns parsed records (a new CSV, appended CSV or JSON rows) into chunks, a digest and column types.
import { LatheError } from '../domain/errors.js';
import { cellFromJson, fitsType } from './cells.js';
import type { CsvReader } from './csv-reader.js';
import { RevisionDigest } from './digest.js';
import { ColumnStats, decideTypes, typeMismatch } from './infer-types.js';
import { RowChunker, type RowChunk } from './row-chunks.js';
import type { ColumnType } from './table-data.js';

/** A column as stored with a revision: the type in force and the type inference suggested. */
export interface TableColumn {
  name: string;
  type: ColumnType;
  inferredType: ColumnType;
}

/** Receives each closed chunk; awaiting it is the backpressure that keeps memory bounded. */
export type ChunkSink = (chunk: RowChunk) => Promise<void>;

export interface IngestResult {
  columns: TableColumn[];
  /** Rows this ingest added. */
  rowCount: number;
  digest: string;
}

/** A whole new row set (import, replace): infers column types while the rows stream to the sink. */
export async function ingestNewCsv(
  reader: CsvReader,
  options: { columnTypes?: Record<string, ColumnType>; sink: ChunkSink; onRows?: (rows: number) => void },
): Promise<IngestResult> {
  const stats = reader.header.map((name) => new ColumnStats(name));
  const digest = new RevisionDigest('rows', null);
  const chunker = new RowChunker(0);
  const width = stats.length;
  for await (const batch of reader.batches) {
    for (let i = 0; i < batch.rows.length; i++) {
      const row = batch.rows[i];
      const line = batch.lines[i];
      for (let c = 0; c < width; c++) stats[c].add(row[c], line);
      const json = JSON.stringify(row);
      digest.addRow(json);
      const chunk = chunker.push(json);
      if (chunk) await options.sink(chunk);
    }
    options.onRows?.(chunker.rowsSeen);
  }
  const last = chunker.flush();
  if (last) await options.sink(last);
  const columns = decideTypes(stats, options.columnTypes);
  return { columns, rowCount: chunker.rowsSeen, digest: digest.finish(columns) };
}

/** New rows for an existing table from a CSV whose header names some or all of its columns (any order). */
export async function ingestAppendCsv(
  reader: CsvReader,
  target: { columns: TableColumn[]; rowCount: number; digest: string },
  options: { sink: ChunkSink; onRows?: (rows: number) => void },
): Promise<IngestResult> {
  const index = new Map(target.columns.map((c, i) => [c.name, i]));
  const mapping = reader.header.map((name) => {
    const i = index.get(name);
    if (i === undefined) {
      throw new LatheError(
        'INVALID_DATA',
        `The file has a column "${name}" that the table does not have. The table's columns are: ${target.columns.map((c) => c.name).join(', ')}.`,
        { row: 1, column: name },
      );
    }
    return i;
  });
  const digest = new RevisionDigest('append', target.digest);
  const chunker = new RowChunker(target.rowCount);
  const width = target.columns.length;
  for await (const batch of reader.batches) {
    for (let r = 0; r < batch.rows.length; r++) {
      const src = batch.rows[r];
      const row: string[] = new Array(width).fill('');
      for (let j = 0; j < src.length; j++) {
        const col = target.columns[mapping[j]];
        if (!fitsType(col.type, src[j])) throw typeMismatch(col.name, col.type, batch.lines[r], src[j]);
        row[mapping[j]] = src[j];
      }
      const json = JSON.stringify(row);
      digest.addRow(json);
      const chunk = chunker.push(json);
      if (chunk) await options.sink(chunk);
    }
    options.onRows?.(chunker.rowsSeen - target.rowCount);
  }
  const last = chunker.flush();
  if (last) await options.sink(last);
  return { columns: target.columns, rowCount: chunker.rowsSeen - target.rowCount, digest: digest.finish(target.columns) };
}

/**
 * New rows from JSON objects keyed by column name. Missing keys are missing values; unknown keys and
 * values that do not fit the column's type are errors naming the row (1-based position in the array).
 */
export async function ingestAppendJson(
  items: unknown[],
  target: { columns: TableColumn[]; rowCount: number; digest: string },
  options: { sink: ChunkSink },
): Promise<IngestResult> {
  const index = new Map(target.columns.map((c, i) => [c.name, i]));
  const digest = new RevisionDigest('append', target.digest);
  const chunker = new RowChunker(target.rowCount);
  const width = target.columns.length;
  for (let r = 0; r < items.length; r++) {
    const item = items[r];
    const rowNumber = r + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new LatheError('INVALID_DATA', `Row ${rowNumber} is not an object of column names to values.`, { row: rowNumber, column: null });
    }
    const row: string[] = new Array(width).fill('');
    for (const [key, value] of Object.entries(item)) {
      const i = index.get(key);
      if (i === undefined) {
        throw new LatheError(
          'INVALID_DATA',
          `Row ${rowNumber} has a column "${key}" that the table does not have. The table's columns are: ${target.columns.map((c) => c.name).join(', ')}.`,
          { row: rowNumber, column: key },
        );
      }
      const raw = cellFromJson(value);
      if (raw === null) {
        throw new LatheError('INVALID_DATA', `Row ${rowNumber}, column "${key}": the value must be a string, a finite number, a boolean or null.`, {
          row: rowNumber,
          column: key,
        });
      }
      const col = target.columns[i];
      if (!fitsType(col.type, raw)) throw typeMismatch(col.name, col.type, rowNumber, raw);
      row[i] = raw;
    }
    const json = JSON.stringify(row);
    digest.addRow(json);
    const chunk = chunker.push(json);
    if (chunk) await options.sink(chunk);
  }
  const last = chunker.flush();
  if (last) await options.sink(last);
  return { columns: target.columns, rowCount: items.length, digest: digest.finish(target.columns) };
}

/** The digest of the same rows under new column types, checking every stored value fits its new type. */
export function retypeDigest(previous: string, columns: TableColumn[]): string {
  return new RevisionDigest('retype', previous).finish(columns);
}
