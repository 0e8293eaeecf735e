// Reads a CSV file from disk straight into TableData with type inference (benchmarks, tests, scripts).
import { createReadStream } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { openCsv } from './csv-reader.js';
import { ingestNewCsv } from './ingest.js';
import { chunkColumns, type RowChunk } from './row-chunks.js';
import type { ColumnType, TableData } from './table-data.js';
import { TableDataBuilder } from './to-table-data.js';

/**
 * Parses and types the whole file like an import would (same inference, same digest as revision 1 of
 * an imported table), without storage. tableId is "file:<absolute path>", name the file's base name.
 */
export async function readCsvFile(path: string, options: { name?: string; columnTypes?: Record<string, ColumnType> } = {}): Promise<TableData> {
  const reader = await openCsv(createReadStream(path));
  const chunks: RowChunk[] = [];
  const result = await ingestNewCsv(reader, {
    columnTypes: options.columnTypes,
    sink: async (chunk) => {
      chunks.push(chunk);
    },
  });
  const builder = new TableDataBuilder(result.columns, result.rowCount);
  for (const chunk of chunks.splice(0)) builder.addColumns(chunkColumns(chunk.data, result.columns.length), chunk.firstRow);
  return builder.build({
    tableId: `file:${resolve(path)}`,
    name: options.name ?? basename(path, extname(path)),
    revision: 1,
    digest: result.digest,
  });
}
